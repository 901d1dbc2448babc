# Debian packages and the deb-src line the rig needs. Sourced by hack/k8s/build and up.
# shellcheck shell=bash

K8S_PACKAGES=(etcd-server containerd runc containernetworking-plugins golang-go rsync make
  golang-github-modern-go-reflect2-dev busybox-static openvswitch-switch tcpdump iproute2 openssl
  util-linux jq)
K8S_SRC_LIST=/etc/apt/sources.list.d/ovs-mirror-k8s-src.sources

k8s_pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

k8s_apt() {
  DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 "$@"
}

# Installs what is missing; no service may start (policy-rc.d), everything runs from our state dir.
k8s_install_packages() {
  local missing=() p
  for p in "${K8S_PACKAGES[@]}"; do k8s_pkg_installed "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || k8s_die "missing packages ${missing[*]} and not root"
  k8s_log "installing: ${missing[*]}"
  local policy=/usr/sbin/policy-rc.d added=0 rc=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# added by ovs-mirror hack/k8s for one apt-get install\nexit 101\n' > "$policy"
    chmod +x "$policy"; added=1
  fi
  { k8s_apt update && k8s_apt install -y --no-install-recommends "${missing[@]}"; } || rc=$?
  [ "$added" = 1 ] && rm -f "$policy"
  [ "$rc" -eq 0 ] || k8s_die "apt-get install ${missing[*]} failed (exit $rc)"
}

# The Kubernetes source package: bookworm ships only kubectl as a binary, but its orig tarball is
# the whole tree. Adds a deb-src line for bookworm (same mirror and keyring as the deb line).
k8s_ensure_deb_src() {
  if ! apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Package: kubernetes'; then
    if [ ! -f "$K8S_SRC_LIST" ]; then
      k8s_log "adding $K8S_SRC_LIST"
      cat > "$K8S_SRC_LIST" <<'SRC'
# added by ovs-mirror hack/k8s: the kubernetes source package (its orig tarball is the full tree)
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    fi
    k8s_apt update
  fi
}
