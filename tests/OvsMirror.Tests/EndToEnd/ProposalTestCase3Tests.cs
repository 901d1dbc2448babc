using OvsMirror.Testing;
using Xunit.Abstractions;
using static OvsMirror.Tests.EndToEnd.MirrorTraffic;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// Proposal test case 3 (cni-conf-examples/nad-tc3.yaml and cniargs-tc3.yaml): ovs-prod-1 (VLAN 100) is a src_port
/// source of mirror-1, ovs-prod-2 (VLAN 200) of mirror-2; ONE consumer pod has eth1 on VLAN 300 and is the output of
/// mirror-1 on eth2 and of mirror-2 on eth3. Peers peer100/peer200 are plain ports of our own, b300 uses the
/// example's VLAN 300 network.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class ProposalTestCase3Tests(ITestOutputHelper output)
{
    private const string Prod1 = "10.100.0.1";
    private const string Peer100 = "10.100.0.9";
    private const string Prod2 = "10.200.0.1";
    private const string Peer200 = "10.200.0.9";
    private const string Cons = "10.30.0.1";
    private const string B300 = "10.30.0.2";

    [OvsFact]
    public Task NadApproach_EachConsumerInterfaceSeesExactlyItsMirror_AndNothingAfterDel() =>
        RunAsync(
            "tc3-nad",
            "ovs-cons",
            new Networks(
                Prod1: ("nad-tc3-ovs-vlan100-prod-mir1.conflist", null),
                Prod2: ("nad-tc3-ovs-vlan200-prod-mir2.conflist", null),
                ConsEth2: ("nad-tc3-ovs-cons-mir1.conflist", null),
                ConsEth3: ("nad-tc3-ovs-cons-mir2.conflist", null),
                Vlan300: "nad-tc3-ovs-vlan300.conflist"));

    [OvsFact]
    public Task CniArgsApproach_EachConsumerInterfaceSeesExactlyItsMirror_AndNothingAfterDel() =>
        RunAsync(
            "tc3-cniargs",
            "ovs-cons-1",
            new Networks(
                Prod1: ("cniargs-tc3-ovs-vlan100-mir.conflist", "cniargs-tc3-ovs-vlan100-mir.ovs-prod-1.eth1.cni-args.json"),
                Prod2: ("cniargs-tc3-ovs-vlan200-mir.conflist", "cniargs-tc3-ovs-vlan200-mir.ovs-prod-2.eth1.cni-args.json"),
                ConsEth2: ("cniargs-tc3-ovs-cons-mir.conflist", "cniargs-tc3-ovs-cons-mir.ovs-cons-1.eth2.cni-args.json"),
                ConsEth3: ("cniargs-tc3-ovs-cons-mir.conflist", "cniargs-tc3-ovs-cons-mir.ovs-cons-1.eth3.cni-args.json"),
                Vlan300: "cniargs-tc3-ovs-vlan300.conflist"));

    private async Task RunAsync(string scenario, string consumerPod, Networks n)
    {
        await using var bed = await CniTestbed.StartAsync(output);
        var prod1 = await bed.PodAsync("ovs-prod-1");
        var prod2 = await bed.PodAsync("ovs-prod-2");
        var cons = await bed.PodAsync(consumerPod);
        var peer100 = await bed.PodAsync("peer100");
        var peer200 = await bed.PodAsync("peer200");
        var b300 = await bed.PodAsync("b300");
        await bed.AddAsync(peer100, "eth1", bed.PlainPortConflist("peer-vlan100", vlan: 100), address: Peer100 + "/24");
        await bed.AddAsync(peer200, "eth1", bed.PlainPortConflist("peer-vlan200", vlan: 200), address: Peer200 + "/24");
        await bed.AddAsync(b300, "eth1", n.Vlan300, address: B300 + "/24");

        var p1 = await bed.AddAsync(prod1, "eth1", n.Prod1.Conflist, n.Prod1.CniArgs, Prod1 + "/24");
        var p2 = await bed.AddAsync(prod2, "eth1", n.Prod2.Conflist, n.Prod2.CniArgs, Prod2 + "/24");
        var data = await bed.AddAsync(cons, "eth1", n.Vlan300, address: Cons + "/24");
        var eth2 = await bed.AddAsync(cons, "eth2", n.ConsEth2.Conflist, n.ConsEth2.CniArgs);
        var eth3 = await bed.AddAsync(cons, "eth3", n.ConsEth3.Conflist, n.ConsEth3.CniArgs);

        await bed.MirrorShouldBeAsync("mirror-1", src: [p1], dst: [], output: eth2);
        await bed.MirrorShouldBeAsync("mirror-2", src: [p2], dst: [], output: eth3);
        foreach (var a in new[] { p1, p2, data, eth2, eth3 })
        {
            (await bed.CheckAsync(a)).Succeeded.Should().BeTrue("CHECK of {0} after ADD", a);
        }

        var cap2 = await bed.CaptureAsync(cons, "eth2");
        var cap3 = await bed.CaptureAsync(cons, "eth3");
        await bed.PingAsync(cons, B300, 3);          // unselected, VLAN 300 (the consumer pod's own data interface)
        await bed.PingAsync(peer100, Prod1, 3);      // prod-1's replies: mirror-1
        await bed.PingAsync(prod1, Peer100, 4);      // prod-1's requests: mirror-1
        await bed.PingAsync(prod2, Peer200, 3);      // prod-2's requests: mirror-2
        await bed.PingAsync(peer200, Prod2, 2);      // prod-2's replies: mirror-2
        await bed.TcpExchangeAsync(prod1, peer100, Peer100);
        await bed.TcpExchangeAsync(prod2, peer200, Peer200);

        var seen2 = await cap2.ShouldSeeExactlyAsync(
            bed,
            new Dictionary<string, int>
            {
                [Echo(Prod1, Peer100, request: false)] = 3,
                [Echo(Prod1, Peer100, request: true)] = 4,
            },
            [$"{Prod1}>{Peer100}"],
            scenario);
        var seen3 = await cap3.ShouldSeeExactlyAsync(
            bed,
            new Dictionary<string, int>
            {
                [Echo(Prod2, Peer200, request: true)] = 3,
                [Echo(Prod2, Peer200, request: false)] = 2,
            },
            [$"{Prod2}>{Peer200}"],
            scenario);
        // the consumer ports carry no tag (a trunk in OVS): the copies keep their VLAN
        seen2.Select(p => p.Vlan).Should().AllBeEquivalentTo(100);
        seen3.Select(p => p.Vlan).Should().AllBeEquivalentTo(200);

        await bed.DelAsync(p1);
        await bed.DelAsync(p2);
        var after2 = await bed.CaptureAsync(cons, "eth2");
        var after3 = await bed.CaptureAsync(cons, "eth3");
        await bed.PingAsync(cons, B300, 5);
        await bed.TcpExchangeAsync(cons, b300, B300);
        await after2.ShouldSeeNothingAsync(bed, scenario + " after producer DEL");
        await after3.ShouldSeeNothingAsync(bed, scenario + " after producer DEL");

        await bed.DelAsync(eth2);
        await bed.DelAsync(eth3);
        await bed.NoMirrorShouldBeLeftAsync();
        (await bed.PortsAsync()).Should().NotContain([p1.HostInterface, p2.HostInterface, eth2.HostInterface, eth3.HostInterface]);
    }

    private sealed record Networks(
        (string Conflist, string? CniArgs) Prod1,
        (string Conflist, string? CniArgs) Prod2,
        (string Conflist, string? CniArgs) ConsEth2,
        (string Conflist, string? CniArgs) ConsEth3,
        string Vlan300);
}
