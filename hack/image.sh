#!/usr/bin/env bash
# hack/image.sh: write the ovs-mirror container image as an OCI image archive, by hand: no registry, no daemon,
# no podman/buildah needed to build it (they, and containerd, only load it).
#
#   ./hack/image.sh     needs artifacts/bin/ovs-mirror from hack/build.sh (which runs this at its end)
#   env: OVS_MIRROR_IMAGE_OUT=DIR (default artifacts/image), SOURCE_DATE_EPOCH (default: the time of the commit
#        the binary was built from, else of HEAD),
#        OVS_MIRROR_IMAGE_BIN=FILE (default artifacts/bin/ovs-mirror): the binary to package. hack/build.sh
#        --upgrade-peer packages its second build this way (artifacts/upgrade-peer/image/, its own tag), the
#        build the real-cluster suite rolls the DaemonSet to.
#
# Output, in artifacts/image/:
#   ovs-mirror-<tag>.oci.tar   an OCI image layout in a tar (oci-layout, index.json, blobs/sha256/...):
#                              `ctr -n k8s.io images import FILE`, `podman load -i FILE`
#   image.env                  TAG, REF (localhost/ovs-mirror:<tag>), ARCHIVE, MANIFEST_DIGEST, CONFIG_DIGEST, SIZE
#   ovs-mirror.yaml            deploy/ovs-mirror.yaml with this image's tag: `kubectl apply -f` it
#
# Contents (one layer): /usr/bin/ovs-mirror, the ovs-mirror-producer / ovs-mirror-consumer symlinks, the operator
# CLI /usr/bin/ovs-mirrorctl, and the
# glibc the binary is linked against, taken from the same Debian 11 sysroot (hack/sysroot.sh): ld-linux, libc,
# libm, libdl, librt, libpthread. No shell, no package manager: the binary is its own installer (`install`) and
# its own idle main process (`pause`). Not `FROM scratch` alone: the binary is dynamically linked, so it needs a
# libc in the image to run the installer; not a distro base: nothing else is needed, and less is less to patch.
#
# Reproducible: every timestamp is SOURCE_DATE_EPOCH (default: the commit time of HEAD), tar entries are sorted,
# owned by 0:0 with fixed modes, gzip stores no name or time, and the JSON is written byte for byte here.
# The same binary and the same sysroot give the same digests.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
log() { echo "image.sh: $*" >&2; }
die() { echo "image.sh: ERROR: $*" >&2; exit 1; }

BIN=${OVS_MIRROR_IMAGE_BIN:-$ROOT/artifacts/bin/ovs-mirror}
CTL=$ROOT/artifacts/bin/ovs-mirrorctl
[ -x "$BIN" ] && [ -x "$CTL" ] || die "$BIN or $CTL missing: run hack/build.sh"
SYSROOT=$("$ROOT/hack/sysroot.sh")
export LC_ALL=C TZ=UTC

# The tag: the binary's build version (1.0.0+<commit>) as a valid tag (no '+'), with -dirty when tracked files
# differ from the commit (then the same tag could name different content).
build=$("$BIN" version | sed -n 's/^build: //p')
[ -n "$build" ] || die "'$BIN version' printed no build line"
commit=$(printf '%s' "$build" | sed -nE 's/.*\+([0-9a-f]{40}).*/\1/p')
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct "${commit:-HEAD}" 2>/dev/null || echo 0)}
tag=$(printf '%s' "$build" | sed -E 's/\+([0-9a-f]{12})[0-9a-f]*/-\1/; s/[^A-Za-z0-9_.-]/-/g')
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then tag=$tag-dirty; fi
REF=localhost/ovs-mirror:$tag
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)

OUT=${OVS_MIRROR_IMAGE_OUT:-$ROOT/artifacts/image}
WORK=$(mktemp -d /tmp/ovs-mirror-image.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# ---- the root filesystem
R=$WORK/rootfs
mkdir -p "$R/usr/bin" "$R/usr/lib/x86_64-linux-gnu" "$R/tmp"
ln -s usr/lib "$R/lib"                              # merged /usr, as in Debian 11
ln -s usr/lib64 "$R/lib64"
mkdir -p "$R/usr/lib64"
cp "$BIN" "$R/usr/bin/ovs-mirror"
cp "$CTL" "$R/usr/bin/ovs-mirrorctl"    # the operator CLI, for kubectl exec/debug
ln -s ovs-mirror "$R/usr/bin/ovs-mirror-producer"
ln -s ovs-mirror "$R/usr/bin/ovs-mirror-consumer"
for so in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libdl.so.2 librt.so.1 libpthread.so.0; do
  cp -L "$SYSROOT/usr/lib/x86_64-linux-gnu/$so" "$R/usr/lib/x86_64-linux-gnu/$so"
done
ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$R/usr/lib64/ld-linux-x86-64.so.2"
# every NEEDED library of the binary must be in the image
for so in $(objdump -p "$BIN" | awk '$1 == "NEEDED" { print $2 }'); do
  [ -e "$R/usr/lib/x86_64-linux-gnu/$so" ] || die "the binary needs $so, which the image lacks"
done
find "$R" -type d -exec chmod 755 {} +
chmod 1777 "$R/tmp"
find "$R" -type f -exec chmod 755 {} +
find "$R" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# ---- the blobs
B=$WORK/layout/blobs/sha256
mkdir -p "$B"
tar --sort=name --format=gnu --numeric-owner --owner=0 --group=0 --mtime="@$SOURCE_DATE_EPOCH" \
  -C "$R" -cf "$WORK/layer.tar" .
diff_id=$(sha256sum "$WORK/layer.tar" | cut -d' ' -f1)
gzip -n -9 -c "$WORK/layer.tar" > "$WORK/layer.tar.gz"
layer=$(sha256sum "$WORK/layer.tar.gz" | cut -d' ' -f1)
layer_size=$(stat -c %s "$WORK/layer.tar.gz")
mv "$WORK/layer.tar.gz" "$B/$layer"

blob() {  # blob FILE: moves FILE into the blobs, prints "DIGEST SIZE"
  local d s; d=$(sha256sum "$1" | cut -d' ' -f1); s=$(stat -c %s "$1"); mv "$1" "$B/$d"; echo "$d $s"
}

# OCI image spec v1.1: config.md (Entrypoint/Cmd, rootfs.diff_ids = digests of the uncompressed layers)
printf '%s' \
  '{"architecture":"amd64","os":"linux","created":"'"$created"'",' \
  '"config":{"Entrypoint":["/usr/bin/ovs-mirror"],"Cmd":["pause"],"WorkingDir":"/",' \
  '"Labels":{"org.opencontainers.image.title":"ovs-mirror","org.opencontainers.image.version":"'"$build"'",' \
  '"org.opencontainers.image.licenses":"Apache-2.0"}},' \
  '"rootfs":{"type":"layers","diff_ids":["sha256:'"$diff_id"'"]},' \
  '"history":[{"created":"'"$created"'","created_by":"hack/image.sh"}]}' > "$WORK/config.json"
read -r config config_size < <(blob "$WORK/config.json")

# manifest.md
printf '%s' \
  '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",' \
  '"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:'"$config"'","size":'"$config_size"'},' \
  '"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:'"$layer"'","size":'"$layer_size"'}],' \
  '"annotations":{"org.opencontainers.image.created":"'"$created"'","org.opencontainers.image.version":"'"$build"'"}}' > "$WORK/manifest.json"
read -r manifest manifest_size < <(blob "$WORK/manifest.json")

# image-layout.md: the index names the image for both loaders: containerd reads io.containerd.image.name,
# podman the org.opencontainers.image.ref.name.
printf '%s' \
  '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[' \
  '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'"$manifest"'","size":'"$manifest_size"',' \
  '"annotations":{"io.containerd.image.name":"'"$REF"'","org.opencontainers.image.ref.name":"'"$REF"'"}}]}' > "$WORK/layout/index.json"
printf '%s' '{"imageLayoutVersion":"1.0.0"}' > "$WORK/layout/oci-layout"

find "$WORK/layout" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
chmod 644 "$B"/* "$WORK/layout/index.json" "$WORK/layout/oci-layout"
rm -rf "$OUT"; mkdir -p "$OUT"
ARCHIVE=$OUT/ovs-mirror-$tag.oci.tar
tar --sort=name --format=gnu --numeric-owner --owner=0 --group=0 --mtime="@$SOURCE_DATE_EPOCH" \
  -C "$WORK/layout" -cf "$ARCHIVE.tmp" oci-layout index.json blobs
mv "$ARCHIVE.tmp" "$ARCHIVE"
size=$(stat -c %s "$ARCHIVE")
sed "s|@TAG@|$tag|g" "$ROOT/deploy/ovs-mirror.yaml" > "$OUT/ovs-mirror.yaml"
{
  echo "TAG=$tag"
  echo "REF=$REF"
  echo "ARCHIVE=$ARCHIVE"
  echo "MANIFEST_DIGEST=sha256:$manifest"
  echo "CONFIG_DIGEST=sha256:$config"
  echo "SIZE=$size"
  echo "SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH"
} > "$OUT/image.env"
awk -v s="$size" -v l="$layer_size" -v r="$REF" -v m="$manifest" 'BEGIN {
  printf "image: %s  manifest sha256:%s\n       archive %d bytes (%.2f MiB), layer %d bytes gzipped\n", r, m, s, s / 1048576, l }'
echo "       $ARCHIVE"
echo "       $OUT/ovs-mirror.yaml (deploy/ovs-mirror.yaml for this tag)"
