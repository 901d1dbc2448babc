using OvsMirror.Testing;
using Xunit.Abstractions;
using static OvsMirror.Tests.EndToEnd.MirrorTraffic;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// cni-conf-examples/ovscni-compat.yaml: ovs-cni's own schema, run as the plugins ovs-mirror-producer and
/// ovs-mirror-consumer (symlinks to the binary in the CNI_PATH): mirror-1 ingress+egress and mirror-2 ingress only,
/// both output to ONE consumer port. OVS sends a packet selected by both mirrors to that port once.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class OvsCniCompatTests(ITestOutputHelper output)
{
    [OvsFact]
    public async Task OvsCniProducerAndConsumerConfigs_MirrorIngressAndEgressThroughTheDropIn()
    {
        const string P = "10.100.0.1", Peer = "10.100.0.9";
        await using var bed = await CniTestbed.StartAsync(output);
        var prod = await bed.PodAsync("ovs-prod");
        var peer = await bed.PodAsync("peer");
        var cons = await bed.PodAsync("ovs-cons");
        await bed.AddAsync(peer, "eth1", bed.PlainPortConflist("peer-vlan100", vlan: 100), address: Peer + "/24");
        var c = await bed.AddAsync(cons, "eth1", "ovscni-compat-ovs-cons-mir1-mir2.conflist");
        var p = await bed.AddAsync(prod, "eth1", "ovscni-compat-ovs-vlan100-prod-mir1-mir2.conflist", address: P + "/24");

        await bed.MirrorShouldBeAsync("mirror-1", src: [p], dst: [p], output: c);
        await bed.MirrorShouldBeAsync("mirror-2", src: [p], dst: [], output: c);
        (await bed.CheckAsync(p)).Succeeded.Should().BeTrue();
        (await bed.CheckAsync(c)).Succeeded.Should().BeTrue();

        var capture = await bed.CaptureAsync(cons, "eth1");
        await bed.PingAsync(prod, Peer, 4);
        await bed.TcpExchangeAsync(peer, prod, P);
        await capture.ShouldSeeExactlyAsync(
            bed,
            new Dictionary<string, int> { [Echo(P, Peer, request: true)] = 4, [Echo(Peer, P, request: false)] = 4 },
            [$"{P}>{Peer}", $"{Peer}>{P}"],
            "ovs-cni compat");

        await bed.DelAsync(p);
        await bed.DelAsync(c);
        await bed.NoMirrorShouldBeLeftAsync();
    }
}
