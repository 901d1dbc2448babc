using OvsMirror.Testing;
using Xunit.Abstractions;
using static OvsMirror.Tests.EndToEnd.MirrorTraffic;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// Proposal test case 1 (cni-conf-examples/nad-tc1.yaml and cniargs-tc1.yaml): ONE pod is both producer and consumer:
/// its eth1 (VLAN 100) is a src_port source of mirror-1 and mirror-2, its eth2 (VLAN 200) the output of mirror-1.
/// mirror-2 has no output. Peers peer-a/peer-b on VLAN 100 and bystanders b200-a/b200-b on VLAN 200 are plain
/// ports of our own.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class ProposalTestCase1Tests(ITestOutputHelper output)
{
    private const string Prod = "10.100.0.1";
    private const string PeerA = "10.100.0.9";
    private const string PeerB = "10.100.0.10";
    private const string B200A = "10.200.0.2";
    private const string B200B = "10.200.0.3";

    [OvsFact]
    public Task NadApproach_TheConsumerInterfaceSeesOnlyItsOwnPodsProducerInterface_AndNothingAfterDel() =>
        RunAsync(
            "tc1-nad",
            "ovs-prod-cons",
            ("nad-tc1-ovs-vlan100-prod-mir1-prod-mir2.conflist", null),
            ("nad-tc1-ovs-vlan200-cons-mir1.conflist", null));

    [OvsFact]
    public Task CniArgsApproach_TheConsumerInterfaceSeesOnlyItsOwnPodsProducerInterface_AndNothingAfterDel() =>
        RunAsync(
            "tc1-cniargs",
            "ovs-prod-1",
            ("cniargs-tc1-ovs-vlan100-mir.conflist", "cniargs-tc1-ovs-vlan100-mir.ovs-prod-1.eth1.cni-args.json"),
            ("cniargs-tc1-ovs-vlan200-mir.conflist", "cniargs-tc1-ovs-vlan200-mir.ovs-prod-1.eth2.cni-args.json"));

    private async Task RunAsync(
        string scenario, string podName, (string Conflist, string? CniArgs) producer, (string Conflist, string? CniArgs) consumer)
    {
        await using var bed = await CniTestbed.StartAsync(output);
        var pod = await bed.PodAsync(podName);
        var peerA = await bed.PodAsync("peer-a");
        var peerB = await bed.PodAsync("peer-b");
        var b200A = await bed.PodAsync("b200-a");
        var b200B = await bed.PodAsync("b200-b");
        var vlan100 = bed.PlainPortConflist("peer-vlan100", vlan: 100);
        var vlan200 = bed.PlainPortConflist("peer-vlan200", vlan: 200);
        await bed.AddAsync(peerA, "eth1", vlan100, address: PeerA + "/24");
        await bed.AddAsync(peerB, "eth1", vlan100, address: PeerB + "/24");
        await bed.AddAsync(b200A, "eth1", vlan200, address: B200A + "/24");
        await bed.AddAsync(b200B, "eth1", vlan200, address: B200B + "/24");

        var eth1 = await bed.AddAsync(pod, "eth1", producer.Conflist, producer.CniArgs, Prod + "/24");
        var eth2 = await bed.AddAsync(pod, "eth2", consumer.Conflist, consumer.CniArgs);

        await bed.MirrorShouldBeAsync("mirror-1", src: [eth1], dst: [], output: eth2);
        await bed.MirrorShouldBeAsync("mirror-2", src: [eth1], dst: [], output: null);
        (await bed.CheckAsync(eth1)).Succeeded.Should().BeTrue("CHECK of the producer interface");
        (await bed.CheckAsync(eth2)).Succeeded.Should().BeTrue("CHECK of the consumer interface");

        var capture = await bed.CaptureAsync(pod, "eth2");
        await bed.PingAsync(peerA, PeerB, 3);    // unselected, VLAN 100
        await bed.PingAsync(b200A, B200B, 3);    // unselected, VLAN 200 (the consumer port's own VLAN)
        await bed.PingAsync(peerA, Prod, 3);     // requests to the producer: not selected; its replies: mirror-1
        await bed.PingAsync(pod, PeerB, 4);      // the producer's requests: mirror-1
        await bed.TcpExchangeAsync(pod, peerA, PeerA);
        await capture.ShouldSeeExactlyAsync(
            bed,
            new Dictionary<string, int>
            {
                [Echo(Prod, PeerA, request: false)] = 3,
                [Echo(Prod, PeerB, request: true)] = 4,
            },
            [$"{Prod}>{PeerA}"],
            scenario);

        await bed.DelAsync(eth1);
        await bed.MirrorShouldBeAsync("mirror-1", src: [], dst: [], output: eth2);
        (await bed.MirrorNamesAsync()).Should().NotContain("mirror-2", "its only member left");
        var after = await bed.CaptureAsync(pod, "eth2");
        await bed.PingAsync(peerA, PeerB, 5);
        await bed.PingAsync(b200A, B200B, 3);
        await after.ShouldSeeNothingAsync(bed, scenario + " after producer DEL");

        await bed.DelAsync(eth2);
        await bed.NoMirrorShouldBeLeftAsync();
        (await bed.PortsAsync()).Should().NotContain([eth1.HostInterface, eth2.HostInterface]);
    }
}
