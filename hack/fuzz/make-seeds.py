#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into tests/OvsMirror.Fuzz/corpus/TARGET/ (run from the repo root).
config: every ovs-mirror plugin of cni-conf-examples/*.conflist as the runtime hands it over (cniVersion, name,
prevResult, and the pod's cni-args as args.cni); ovsdb-reply: the replies captured from ovsdb-server 3.1 (one file
per reply, renumbered as the first call's, plus the whole stream and a schema reply); cni-args and attachment-record:
values as real runtimes and the plugin write them."""
import glob, json, os, re

root = "tests/OvsMirror.Fuzz/corpus"
def put(target, name, data):
    os.makedirs(f"{root}/{target}", exist_ok=True)
    with open(f"{root}/{target}/{name}", "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

prev = {"cniVersion": "1.0.0", "interfaces": [{"name": "veth1", "mac": "0a:58:0a:f4:00:05"},
        {"name": "eth1", "mac": "0a:58:0a:f4:00:06", "sandbox": "/var/run/netns/pod"}]}
for conflist in sorted(glob.glob("cni-conf-examples/*.conflist")):
    conf = json.load(open(conflist))
    base = os.path.basename(conflist)[:-len(".conflist")]
    for i, plugin in enumerate(conf["plugins"]):
        if not plugin["type"].startswith("ovs-mirror"):
            continue
        net = dict(cniVersion=conf["cniVersion"], name=conf["name"], **plugin, prevResult=prev)
        put("config", f"{base}.{i}.json", json.dumps(net, indent=1))
        for args in sorted(glob.glob(f"cni-conf-examples/{base}.*.cni-args.json")):
            withargs = dict(net, args={"cni": json.load(open(args))})
            put("config", os.path.basename(args)[:-len(".cni-args.json")] + ".json", json.dumps(withargs, indent=1))

put("cni-args", "containerd-multus",
    "IgnoreUnknown=true;K8S_POD_NAMESPACE=emu-cni;K8S_POD_NAME=ovs-prod-1;K8S_POD_INFRA_CONTAINER_ID=0f3c;"
    "K8S_POD_UID=6e1b;K8S_POD_NAMESPACE=emu-cni;K8S_POD_NAME=ovs-prod-1;K8S_POD_INFRA_CONTAINER_ID=0f3c;K8S_POD_UID=6e1b;IgnoreUnknown=1")
put("cni-args", "plain", "K8S_POD_NAMESPACE=default;K8S_POD_NAME=pod-1")
put("cni-args", "conflict", "K8S_POD_NAME=a;K8S_POD_NAME=b;IgnoreUnknown=0")

put("attachment-record", "producer", "v1;role=producer;net=net1;uuid=15365daa-b3a4-49e9-a38f-23f42ead7011;sel=src,dst;vlans=100,200;port=veth1")
put("attachment-record", "consumer", "v1;role=consumer;net=net1;uuid=15365daa-b3a4-49e9-a38f-23f42ead7011;out=vlan;ovlan=999;port=veth2")
put("attachment-record", "ovn", "ovn1;net=attachnet;lsp=pod1.default.attachnet.default.ovn")

stream = open("tests/OvsMirror.Ovsdb.Tests/Resources/ovsdb-server-3.1-replies.bin", "rb").read()
put("ovsdb-reply", "captured-stream", stream)
decoder, text, pos, n = json.JSONDecoder(), stream.decode(), 0, 0
while pos < len(text):
    msg, end = decoder.raw_decode(text, pos)
    pos, n = end, n + 1
    msg["id"] = 1
    put("ovsdb-reply", f"captured-{n}", json.dumps(msg, separators=(",", ":")))
put("ovsdb-reply", "echo-then-reply", '{"id":"echo","method":"echo","params":[]}{"id":1,"result":[{"rows":[]},{"rows":[]}],"error":null}')
schema = json.load(open("/usr/share/openvswitch/vswitch.ovsschema"))
put("ovsdb-reply", "three-calls", json.dumps({"id": 1, "result": [{"rows": []}, {"rows": []}], "error": None}) +
    json.dumps({"id": 2, "result": ["Open_vSwitch"], "error": None}) +
    json.dumps({"id": 3, "result": {"name": "Open_vSwitch", "version": schema["version"],
                                    "tables": {"Mirror": schema["tables"]["Mirror"]}}, "error": None}))
put("ovsdb-reply", "rpc-error", '{"id":1,"result":null,"error":"unknown database","details":"x"}')
