# Config files of the rig, all written under the state dir D. Sourced by hack/k8s/up.
# shellcheck shell=bash

# Ports: away from the defaults, so a host's own etcd/apiserver/kubelet (if any) is never in the way.
K8S_ETCD_PORT=12379
K8S_ETCD_PEER_PORT=12380
K8S_APISERVER_PORT=16443
K8S_KUBELET_PORT=20250
K8S_KUBELET_HEALTHZ_PORT=20248
K8S_CM_PORT=20257
K8S_SCHED_PORT=20259
K8S_NODE=node1
# the default network (Multus' delegate): a Linux bridge with no address on the host, no masquerade
K8S_POD_BRIDGE=omk8s-br0
K8S_POD_SUBNET=10.244.0.0/24
K8S_OVS_BRIDGE=br1

k8s_write_pki() {
  mkdir -p "$D/pki"
  openssl genrsa -out "$D/pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$D/pki/sa.key" -pubout -out "$D/pki/sa.pub" 2>/dev/null
  K8S_TOKEN=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  echo "$K8S_TOKEN,admin,admin,system:masters" > "$D/pki/tokens.csv"
  chmod 600 "$D/pki/tokens.csv" "$D/pki/sa.key"
  cat > "$D/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: ovs-mirror-k8s
  cluster:
    server: https://127.0.0.1:$K8S_APISERVER_PORT
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: $K8S_TOKEN
contexts:
- name: ovs-mirror-k8s
  context:
    cluster: ovs-mirror-k8s
    user: admin
current-context: ovs-mirror-k8s
EOF
  chmod 600 "$D/kubeconfig"
}

k8s_write_containerd_config() {
  mkdir -p "$D/containerd/root" "$D/containerd/state" "$D/containerd/opt" "$D/runc"
  cat > "$D/containerd/config.toml" <<EOF
version = 2
root = "$D/containerd/root"
state = "$D/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]

[grpc]
  address = "$D/containerd.sock"
[ttrpc]
  address = "$D/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$D/containerd/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/pause:1"
  # required here: this machine refuses a negative oom_score_adj, and the CRI gives sandboxes -998
  # (without it every pod fails with runc's "can't get final child's PID from pipe: EOF")
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "native"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$D/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$D/cni/bin"
    conf_dir = "$D/cni/net.d"
    max_conf_num = 1
EOF
}

k8s_write_kubelet_config() {
  mkdir -p "$D/kubelet"
  : > "$D/kubelet/resolv.conf"
  cat > "$D/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $K8S_KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $K8S_KUBELET_HEALTHZ_PORT
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
evictionHard: {}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
oomScoreAdj: 0
makeIPTablesUtilChains: false
resolvConf: $D/kubelet/resolv.conf
serializeImagePulls: false
authentication:
  anonymous:
    enabled: true
  webhook:
    enabled: false
authorization:
  mode: AlwaysAllow
EOF
}

# Multus is the primary CNI; its default network is bridge + host-local (no host address, no iptables).
# ovs-cni's ovs sits in the same bin dir, for the NADs' chains; ovs-mirror joins it later, installed by its
# DaemonSet (hack/k8s/deploy), not copied here.
k8s_write_cni_config() {
  mkdir -p "$D/cni/bin" "$D/cni/net.d" "$D/cni/multus" "$D/cni/ipam"
  local p
  for p in bridge host-local loopback; do ln -sf "/usr/lib/cni/$p" "$D/cni/bin/$p"; done
  cp "$MULTUS_DIR/bin/multus" "$D/cni/bin/multus"
  cp "$OVS_CNI_DIR/bin/ovs" "$D/cni/bin/ovs"
  cat > "$D/cni/net.d/00-multus.conf" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "multus-cni-network",
  "type": "multus",
  "kubeconfig": "$D/kubeconfig",
  "cniDir": "$D/cni/multus",
  "binDir": "$D/cni/bin",
  "logFile": "$D/log/multus.log",
  "logLevel": "verbose",
  "delegates": [
    {
      "cniVersion": "0.4.0",
      "name": "default",
      "plugins": [
        {
          "type": "bridge",
          "bridge": "$K8S_POD_BRIDGE",
          "isGateway": false,
          "ipMasq": false,
          "ipam": { "type": "host-local", "subnet": "$K8S_POD_SUBNET", "dataDir": "$D/cni/ipam" }
        }
      ]
    }
  ]
}
EOF
}

# A busybox-static image written by hand as an OCI archive (no registry, no podman): one layer with
# /bin/busybox and its applet links, CMD sleep. Used as the pods' image and as the pause image.
# Cached by busybox's package version.
k8s_busybox_image() {
  local ver dir
  ver=$(dpkg-query -W -f='${Version}' busybox-static | tr -c 'A-Za-z0-9.\n' '_')
  dir=$K8S_CACHE/image-busybox-$ver
  K8S_IMAGE_ARCHIVE=$dir/busybox.oci.tar
  [ -f "$dir/.complete" ] && return 0
  local tmp=$dir.tmp.$$
  rm -rf "$tmp"; mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/tmp" "$tmp/rootfs/etc" "$tmp/oci/blobs/sha256"
  cp /bin/busybox "$tmp/rootfs/bin/busybox"
  local a
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$tmp/rootfs/bin/$a"; done
  echo 'root:x:0:0:root:/:/bin/sh' > "$tmp/rootfs/etc/passwd"
  echo 'root:x:0:' > "$tmp/rootfs/etc/group"
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 --sort=name -C "$tmp/rootfs" -cf "$tmp/layer.tar" .
  local layer_sha layer_size config_sha config_size manifest_sha manifest_size
  layer_sha=$(sha256sum "$tmp/layer.tar" | cut -d' ' -f1); layer_size=$(stat -c %s "$tmp/layer.tar")
  mv "$tmp/layer.tar" "$tmp/oci/blobs/sha256/$layer_sha"
  printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["/bin/sleep","2147483647"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$layer_sha" > "$tmp/config.json"
  config_sha=$(sha256sum "$tmp/config.json" | cut -d' ' -f1); config_size=$(stat -c %s "$tmp/config.json")
  mv "$tmp/config.json" "$tmp/oci/blobs/sha256/$config_sha"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
    "$config_sha" "$config_size" "$layer_sha" "$layer_size" > "$tmp/manifest.json"
  manifest_sha=$(sha256sum "$tmp/manifest.json" | cut -d' ' -f1); manifest_size=$(stat -c %s "$tmp/manifest.json")
  mv "$tmp/manifest.json" "$tmp/oci/blobs/sha256/$manifest_sha"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"localhost/busybox:1","org.opencontainers.image.ref.name":"1"}}]}' \
    "$manifest_sha" "$manifest_size" > "$tmp/oci/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$tmp/oci/oci-layout"
  tar -C "$tmp/oci" -cf "$tmp/busybox.oci.tar" oci-layout index.json blobs
  rm -rf "$tmp/rootfs" "$tmp/oci"
  rm -rf "$dir"; mv "$tmp" "$dir"; touch "$dir/.complete"
}
