using OvsMirror.Testing;
using Xunit.Abstractions;
using static OvsMirror.Tests.EndToEnd.MirrorTraffic;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// Proposal test case 2 (cni-conf-examples/nad-tc2.yaml and cniargs-tc2.yaml): producers ovs-prod-1 (VLAN 100,
/// src_port of mirror-1 and mirror-2) and ovs-prod-2 (VLAN 100, src_port of mirror-1); consumers ovs-cons-1
/// (eth1 on VLAN 200, eth2 the output of mirror-1) and ovs-cons-2 (eth1 on VLAN 300, eth2 the output of mirror-2).
/// Peers and bystanders are plain ports: peer-a/peer-b on VLAN 100 (conflists of our own), b200/b300 on the
/// examples' VLAN 200/300 networks.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class ProposalTestCase2Tests(ITestOutputHelper output)
{
    private const string Prod1 = "10.100.0.1";
    private const string Prod2 = "10.100.0.2";
    private const string PeerA = "10.100.0.9";
    private const string PeerB = "10.100.0.10";
    private const string Cons1 = "10.200.0.1";
    private const string B200 = "10.200.0.2";
    private const string Cons2 = "10.30.0.1";
    private const string B300 = "10.30.0.2";

    [OvsFact]
    public Task NadApproach_EachConsumerSeesExactlyItsMirrorsProducers_AndNothingAfterDel() =>
        RunAsync(
            "tc2-nad",
            new Networks(
                Prod1: ("nad-tc2-ovs-vlan100-prod-mir-1-prod-mir-2.conflist", null),
                Prod2: ("nad-tc2-ovs-vlan100-prod-mir-1.conflist", null),
                Cons1: ("nad-tc2-ovs-cons-mir-1.conflist", null),
                Cons2: ("nad-tc2-ovs-cons-mir-2.conflist", null),
                Vlan200: "nad-tc2-ovs-vlan200.conflist",
                Vlan300: "nad-tc2-ovs-vlan300.conflist"));

    [OvsFact]
    public Task CniArgsApproach_EachConsumerSeesExactlyItsMirrorsProducers_AndNothingAfterDel() =>
        RunAsync(
            "tc2-cniargs",
            new Networks(
                Prod1: ("cniargs-tc2-ovs-vlan100-mir.conflist", "cniargs-tc2-ovs-vlan100-mir.ovs-prod-1.eth1.cni-args.json"),
                Prod2: ("cniargs-tc2-ovs-vlan100-mir.conflist", "cniargs-tc2-ovs-vlan100-mir.ovs-prod-2.eth1.cni-args.json"),
                Cons1: ("cniargs-tc2-ovs-cons-mir.conflist", "cniargs-tc2-ovs-cons-mir.ovs-cons-1.eth2.cni-args.json"),
                Cons2: ("cniargs-tc2-ovs-cons-mir.conflist", "cniargs-tc2-ovs-cons-mir.ovs-cons-2.eth2.cni-args.json"),
                Vlan200: "cniargs-tc2-ovs-vlan200.conflist",
                Vlan300: "cniargs-tc2-ovs-vlan300.conflist"));

    private async Task RunAsync(string scenario, Networks n)
    {
        await using var bed = await CniTestbed.StartAsync(output);
        var prod1 = await bed.PodAsync("ovs-prod-1");
        var prod2 = await bed.PodAsync("ovs-prod-2");
        var cons1 = await bed.PodAsync("ovs-cons-1");
        var cons2 = await bed.PodAsync("ovs-cons-2");
        var peerA = await bed.PodAsync("peer-a");
        var peerB = await bed.PodAsync("peer-b");
        var b200 = await bed.PodAsync("b200");
        var b300 = await bed.PodAsync("b300");
        var vlan100 = bed.PlainPortConflist("peer-vlan100", vlan: 100);

        await bed.AddAsync(peerA, "eth1", vlan100, address: PeerA + "/24");
        await bed.AddAsync(peerB, "eth1", vlan100, address: PeerB + "/24");
        await bed.AddAsync(b200, "eth1", n.Vlan200, address: B200 + "/24");
        await bed.AddAsync(b300, "eth1", n.Vlan300, address: B300 + "/24");
        var p1 = await bed.AddAsync(prod1, "eth1", n.Prod1.Conflist, n.Prod1.CniArgs, Prod1 + "/24");
        var p2 = await bed.AddAsync(prod2, "eth1", n.Prod2.Conflist, n.Prod2.CniArgs, Prod2 + "/24");
        var c1Data = await bed.AddAsync(cons1, "eth1", n.Vlan200, address: Cons1 + "/24");
        var c1 = await bed.AddAsync(cons1, "eth2", n.Cons1.Conflist, n.Cons1.CniArgs);
        var c2Data = await bed.AddAsync(cons2, "eth1", n.Vlan300, address: Cons2 + "/24");
        var c2 = await bed.AddAsync(cons2, "eth2", n.Cons2.Conflist, n.Cons2.CniArgs);

        await bed.MirrorShouldBeAsync("mirror-1", src: [p1, p2], dst: [], output: c1);
        await bed.MirrorShouldBeAsync("mirror-2", src: [p1], dst: [], output: c2);
        foreach (var a in new[] { p1, p2, c1, c2, c1Data, c2Data })
        {
            (await bed.CheckAsync(a)).Succeeded.Should().BeTrue("CHECK of {0} after ADD", a);
        }

        var cap1 = await bed.CaptureAsync(cons1, "eth2");
        var cap2 = await bed.CaptureAsync(cons2, "eth2");

        // unselected pods first: any copy of theirs would arrive before the producers' traffic below
        await bed.PingAsync(cons1, B200, 3);
        await bed.PingAsync(cons2, B300, 3);
        await bed.PingAsync(peerA, PeerB, 3);
        // selected: the producers' sent packets (src_port) only
        await bed.PingAsync(peerA, Prod1, 3);   // requests to prod-1: not selected; its replies: mirror-1, mirror-2
        await bed.PingAsync(prod1, Prod2, 4);   // requests: mirror-1, mirror-2; prod-2's replies: mirror-1
        await bed.PingAsync(prod2, PeerA, 3);   // requests: mirror-1; peer-a's replies: not selected
        await bed.TcpExchangeAsync(prod1, prod2, Prod2);

        await cap1.ShouldSeeExactlyAsync(
            bed,
            new Dictionary<string, int>
            {
                [Echo(Prod1, PeerA, request: false)] = 3,
                [Echo(Prod1, Prod2, request: true)] = 4,
                [Echo(Prod2, Prod1, request: false)] = 4,
                [Echo(Prod2, PeerA, request: true)] = 3,
            },
            [$"{Prod1}>{Prod2}", $"{Prod2}>{Prod1}"],
            scenario);
        await cap2.ShouldSeeExactlyAsync(
            bed,
            new Dictionary<string, int>
            {
                [Echo(Prod1, PeerA, request: false)] = 3,
                [Echo(Prod1, Prod2, request: true)] = 4,
            },
            [$"{Prod1}>{Prod2}"],
            scenario);

        // the producers leave: their mirrors stay (the consumers are members) but select nothing
        await bed.DelAsync(p1);
        await bed.DelAsync(p2);
        await bed.MirrorShouldBeAsync("mirror-1", src: [], dst: [], output: c1);
        await bed.MirrorShouldBeAsync("mirror-2", src: [], dst: [], output: c2);
        var after1 = await bed.CaptureAsync(cons1, "eth2");
        var after2 = await bed.CaptureAsync(cons2, "eth2");
        await bed.PingAsync(peerA, PeerB, 5);
        await bed.PingAsync(cons1, B200, 3);
        await bed.TcpExchangeAsync(peerA, peerB, PeerB);
        await after1.ShouldSeeNothingAsync(bed, scenario + " after producer DEL");
        await after2.ShouldSeeNothingAsync(bed, scenario + " after producer DEL");

        await bed.DelAsync(c1);
        await bed.DelAsync(c2);
        await bed.NoMirrorShouldBeLeftAsync();
        (await bed.PortsAsync()).Should().NotContain([p1.HostInterface, p2.HostInterface, c1.HostInterface, c2.HostInterface]);
    }

    private sealed record Networks(
        (string Conflist, string? CniArgs) Prod1,
        (string Conflist, string? CniArgs) Prod2,
        (string Conflist, string? CniArgs) Cons1,
        (string Conflist, string? CniArgs) Cons2,
        string Vlan200,
        string Vlan300);
}
