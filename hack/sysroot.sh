#!/usr/bin/env bash
# hack/sysroot.sh: make (once) and print the path of a Debian 11 (bullseye) sysroot that the NativeAOT
# binary is linked against, so that it needs only the glibc of Debian 11 and older nodes, not the build
# host's (recipe: /work/shared/reference/portable-binary.md).
#
#   SYSROOT=$(hack/sysroot.sh)      # prints the sysroot dir on stdout, progress on stderr
#
# The sysroot is cached OUTSIDE the clone, under $OVS_MIRROR_SYSROOT_CACHE (default
# /var/cache/ovs-mirror-sysroot), in a dir named after a hash of everything that shapes it (suite,
# packages, mirror, this recipe's version), so a second build does not debootstrap again and a changed
# recipe gets a new dir. It is made in a temp dir next to the final one and renamed into place when
# complete, so an interrupted run never leaves a half sysroot that a later build would trust.
# Needs root and debootstrap (installed from apt when missing).
set -euo pipefail

log() { echo "sysroot.sh: $*" >&2; }
die() { echo "sysroot.sh: ERROR: $*" >&2; exit 1; }
case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH=$PATH:/usr/sbin:/sbin ;; esac

SUITE=bullseye
MIRROR=${OVS_MIRROR_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# libc6-dev: crt files, libc/libm/libpthread/libdl/librt stubs; libgcc-10-dev: libgcc/crtbegin;
# zlib1g-dev: the runtime's System.IO.Compression native part links -lz.
INCLUDE=libc6-dev,libgcc-10-dev,zlib1g-dev
RECIPE=2   # bump when the steps below change
CACHE=${OVS_MIRROR_SYSROOT_CACHE:-/var/cache/ovs-mirror-sysroot}

key=$(printf '%s\n' "$SUITE" "$MIRROR" "$INCLUDE" "$RECIPE" | sha256sum | cut -c1-12)
DIR=$CACHE/$SUITE-$key
if [ -f "$DIR/.complete" ]; then
  log "cached: $DIR"
  echo "$DIR"; exit 0
fi

[ "$(id -u)" = 0 ] || die "debootstrap needs root (or set OVS_MIRROR_SYSROOT_CACHE to a dir holding a ready sysroot)"
if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >&2; } ||
    die "apt-get install debootstrap failed"
fi

mkdir -p "$CACHE"
TMP=$(mktemp -d "$CACHE/.$SUITE-$key.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
start=$SECONDS
log "debootstrap $SUITE into $TMP (once; about 30-60 s)"
debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$TMP" "$MIRROR" > "$TMP.log" 2>&1 ||
  { tail -n 30 "$TMP.log" >&2; rm -f "$TMP.log"; die "debootstrap failed"; }
rm -f "$TMP.log"

# The sysroot's absolute symlinks (usr/lib/x86_64-linux-gnu/libm.so -> /lib/x86_64-linux-gnu/libm.so.6)
# would resolve to the HOST's libraries when used as a sysroot: rewrite each to a relative link inside it.
# (`symlinks -cr` run from outside climbs out of the dir; do it by hand.)
n=0
while IFS= read -r -d '' link; do
  target=$(readlink "$link")
  case "$target" in /*) ;; *) continue ;; esac
  rel=$(realpath -s -m --relative-to="$(dirname "$link")" "$TMP$target")
  ln -sfn "$rel" "$link"; n=$((n + 1))
done < <(find "$TMP" -xdev -type l -print0)
# The dynamic loader path the linker records (PT_INTERP /lib64/ld-linux-x86-64.so.2) must exist in it.
mkdir -p "$TMP/usr/lib64"
[ -e "$TMP/usr/lib64/ld-linux-x86-64.so.2" ] ||
  ln -s ../lib/x86_64-linux-gnu/ld-2.31.so "$TMP/usr/lib64/ld-linux-x86-64.so.2"
# apt lists, caches and docs are not needed to link (and only make the cache bigger)
rm -rf "$TMP/var/cache/apt/archives/"*.deb "$TMP/var/lib/apt/lists/"* "$TMP/usr/share/doc" "$TMP/usr/share/man" "$TMP/usr/share/locale"
touch "$TMP/.complete"
chmod 755 "$TMP"
mv -T "$TMP" "$DIR" 2>/dev/null || { [ -f "$DIR/.complete" ] || die "could not move $TMP to $DIR"; }
trap - EXIT
rm -rf "$TMP"
log "made $DIR in $((SECONDS - start)) s ($n links made relative)"
echo "$DIR"
