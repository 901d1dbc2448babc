#!/usr/bin/env bash
# The proposal's test case 2 (cni-args approach, cni-conf-examples/cniargs-tc2.yaml) on the real one-node
# cluster: kubelet + containerd create the pods, Multus runs each NAD's chain (ovs-cni's ovs, then ovs-mirror),
# and each consumer pod captures what its mirror sends it. Brings the cluster up (and down at the end) unless
# one is already up. As the suite does, it adds only socket_file and a host-local ipam to the NADs and a pod
# template to the Deployments (stubs in the YAML). Needs root, jq, tcpdump; hack/build.sh's binary.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
NS=emu-cni
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

started=0
if ! "$HERE/env" >/dev/null 2>&1; then
  "$HERE/up"
  started=1
fi
eval "$("$HERE/env")"
T=$(mktemp -d /tmp/omk8s-demo.XXXXXX)
cleanup() {
  for f in "$T"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  kubectl -n "$NS" delete -f "$T/applied.json" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  rm -rf "$T"
  if [ "$started" = 1 ]; then "$HERE/down"; fi
}
trap cleanup EXIT
vsctl() { ovs-vsctl --db="$OVS_MIRROR_K8S_OVSDB" --timeout=10 "$@"; }
ctr_() { ctr --address "$OVS_MIRROR_K8S_CONTAINERD" -n k8s.io "$@"; }

kubectl get ns "$NS" >/dev/null 2>&1 || kubectl create ns "$NS" >/dev/null

say "applying cni-conf-examples/cniargs-tc2.yaml (plus socket_file, ipam, pod template)"
kubectl create --dry-run=client --validate=false -f "$ROOT/cni-conf-examples/cniargs-tc2.yaml" -o json |
  jq -s --arg db "$OVS_MIRROR_K8S_OVSDB" --arg ipam "$OVS_MIRROR_K8S_IPAM_DIR" '
    def octet(v): if v == null then 1 elif v <= 255 then v else ((v / 10 | floor) % 256) end;
    def nad($i):
      .spec.config |= (fromjson | .plugins |= map(
        if .type == "ovs" then
          .socket_file = $db
          | .ipam = { type: "host-local", dataDir: $ipam, ranges: [[{
              subnet: "10.\(octet(.vlan)).0.0/16", rangeStart: "10.\(octet(.vlan)).\($i).1", rangeEnd: "10.\(octet(.vlan)).\($i).250" }]] }
        elif (.type | startswith("ovs-mirror")) then .socket_file = $db
        else . end) | tojson);
    def deployment:
      .metadata.name as $n
      | .spec.replicas //= 1
      | .spec.selector //= { matchLabels: { app: $n } }
      | .spec.template.metadata.labels.app //= $n
      | .spec.template.spec //= { terminationGracePeriodSeconds: 10, automountServiceAccountToken: false,
          containers: [{ name: "main", image: "localhost/busybox:1", imagePullPolicy: "Never",
            command: ["/bin/sh", "-c", "trap \u0027exit 0\u0027 TERM; while true; do sleep 3600 & wait $!; done"] }] };
    { apiVersion: "v1", kind: "List", items: (to_entries | map(
        if .value.kind == "NetworkAttachmentDefinition" then (.key as $k | .value | nad($k + 1))
        elif .value.kind == "Deployment" then (.value | deployment)
        else .value end)) }' > "$T/applied.json"
kubectl apply -f "$T/applied.json"
kubectl -n "$NS" wait --for=condition=Available deployment --all --timeout=180s >/dev/null
kubectl -n "$NS" get pods -o wide

pod_of() { kubectl -n "$NS" get pods -l "app=$1" -o jsonpath='{.items[0].metadata.uid}'; }
pid_of() {  # the sandbox (pause) PID of Deployment $1's pod
  local uid id
  uid=$(pod_of "$1")
  id=$(ctr_ containers ls -q "labels.\"io.kubernetes.pod.uid\"==$uid,labels.\"io.cri-containerd.kind\"==sandbox" | head -n1)
  ctr_ tasks ls | awk -v id="$id" '$1 == id && $3 == "RUNNING" { print $2 }'
}
ip_of() {  # ip_of APP IFNAME: from Multus' network-status annotation
  kubectl -n "$NS" get pods -l "app=$1" -o json |
    jq -r --arg i "$2" '.items[0].metadata.annotations["k8s.v1.cni.cncf.io/network-status"] | fromjson | .[] | select(.interface == $i) | .ips[0]'
}

say "OVSDB: the mirrors on br1 (ovs-vsctl), ports named by ovs-cni's pod netns and interface"
port_owner() {
  local name netns iface
  name=$(vsctl get Port "$1" name | tr -d '"')
  netns=$(vsctl get Port "$1" external_ids:contNetns 2>/dev/null | tr -d '"')
  iface=$(vsctl get Port "$1" external_ids:contIface 2>/dev/null | tr -d '"')
  echo "$name(${netns##*/}/$iface)"
}
for m in $(vsctl --bare --columns=name list Mirror | sort); do
  src=$(for u in $(vsctl get Mirror "$m" select_src_port | tr -d '[],'); do port_owner "$u"; done | paste -sd' ')
  out=$(u=$(vsctl get Mirror "$m" output_port | tr -d '[]'); [ -n "$u" ] && port_owner "$u")
  echo "  $m  select_src_port: $src  output_port: $out"
done

say "capturing inside each consumer's netns (nsenter -n -t <sandbox pid>) while the producers ping each other"
for c in ovs-cons-1 ovs-cons-2; do
  nsenter -t "$(pid_of "$c")" -n tcpdump -i eth2 -nn -U -w "$T/$c.pcap" 'not ip6' 2> "$T/$c.err" &
  echo $! > "$T/$c.pid"
done
for c in ovs-cons-1 ovs-cons-2; do
  for _ in $(seq 100); do grep -q 'listening on' "$T/$c.err" && break; sleep 0.1; done
done
P1=$(ip_of ovs-prod-1 eth1); P2=$(ip_of ovs-prod-2 eth1)
nsenter -t "$(pid_of ovs-prod-1)" -n ping -c 3 -i 0.2 -q "$P2" | tail -n 2
nsenter -t "$(pid_of ovs-prod-2)" -n ping -c 3 -i 0.2 -q "$P1" | tail -n 2
for c in ovs-cons-1 ovs-cons-2; do
  n=0
  want=$([ "$c" = ovs-cons-1 ] && echo 6 || echo 3)   # mirror-1: both producers' requests; mirror-2: ovs-prod-1's
  for _ in $(seq 100); do
    n=$(tcpdump -r "$T/$c.pcap" -nn icmp 2>/dev/null | grep -c 'echo request' || true)
    [ "$n" -ge "$want" ] && break; sleep 0.1
  done
  kill "$(cat "$T/$c.pid")" 2>/dev/null || true; rm -f "$T/$c.pid"
done
say "ovs-cons-1 (output of mirror-1: sources ovs-prod-1 $P1 and ovs-prod-2 $P2, src_port)"
tcpdump -r "$T/ovs-cons-1.pcap" -nn -e 2>/dev/null | sed 's/^/  /'
say "ovs-cons-2 (output of mirror-2: source ovs-prod-1 $P1 only)"
tcpdump -r "$T/ovs-cons-2.pcap" -nn -e 2>/dev/null | sed 's/^/  /'

say "deleting: every pod's CNI DEL removes its mirror records; the last member removes the mirror"
netns=$(for d in ovs-prod-1 ovs-prod-2 ovs-cons-1 ovs-cons-2; do
  id=$(ctr_ containers ls -q "labels.\"io.kubernetes.pod.uid\"==$(pod_of "$d"),labels.\"io.cri-containerd.kind\"==sandbox" | head -n1)
  ctr_ containers info "$id" | jq -r '.Spec.linux.namespaces[] | select(.type == "network") | .path'
done)
kubectl -n "$NS" delete -f "$T/applied.json" --wait=false >/dev/null
t0=$SECONDS
for n in $netns; do while [ -e "$n" ] && ((SECONDS - t0 < 60)); do sleep 0.5; done; done
echo "  every sandbox's netns released after $((SECONDS - t0)) s; Mirror rows left: $(vsctl --bare --columns=name list Mirror | grep -c . || true)"
