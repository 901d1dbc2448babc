using OvsMirror.Testing;
using Xunit.Abstractions;
using static OvsMirror.Tests.EndToEnd.MirrorTraffic;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// cni-conf-examples/rspan.yaml: a VLAN 100 producer of mirror-1 and mirror-2 (both directions); mirror-1 goes out on
/// VLAN 999 (outputVlan, consumer on an access port of VLAN 999), mirror-2 on the consumer port's own tag 998. The
/// copies are flooded in the output VLAN: untagged on its access ports, tagged on a trunk (a plain port of our own
/// with trunks [999]).
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class RspanTests(ITestOutputHelper output)
{
    [OvsFact]
    public async Task OutputVlan_CopiesAreUntaggedOnAccessPortsAndTaggedOnATrunk_AndStopAfterDel()
    {
        const string P = "10.100.0.1", Peer = "10.100.0.9", Peer2 = "10.100.0.10", A300 = "10.30.0.2", B300 = "10.30.0.3";
        await using var bed = await CniTestbed.StartAsync(output);
        var prod = await bed.PodAsync("ovs-prod");
        var peer = await bed.PodAsync("peer");
        var peer2 = await bed.PodAsync("peer2");
        var a300 = await bed.PodAsync("a300");
        var b300 = await bed.PodAsync("b300");
        var rspan999 = await bed.PodAsync("rspan-999");
        var rspan998 = await bed.PodAsync("rspan-998");
        var trunk = await bed.PodAsync("trunk-999");
        var vlan100 = bed.PlainPortConflist("peer-vlan100", vlan: 100);
        await bed.AddAsync(peer, "eth1", vlan100, address: Peer + "/24");
        await bed.AddAsync(peer2, "eth1", vlan100, address: Peer2 + "/24");
        await bed.AddAsync(a300, "eth1", bed.PlainPortConflist("peer-vlan300", vlan: 300), address: A300 + "/24");
        await bed.AddAsync(b300, "eth1", bed.PlainPortConflist("peer-vlan300", vlan: 300), address: B300 + "/24");
        await bed.AddAsync(trunk, "eth1", bed.PlainPortConflist("trunk-999", trunks: [999]));
        var c999 = await bed.AddAsync(rspan999, "eth1", "rspan-ovs-vlan999-rspan-mir1.conflist");
        var c998 = await bed.AddAsync(rspan998, "eth1", "rspan-ovs-vlan998-rspan-mir2.conflist");
        var p = await bed.AddAsync(prod, "eth1", "rspan-ovs-vlan100-prod-mir1-mir2.conflist", address: P + "/24");

        await bed.MirrorShouldBeAsync("mirror-1", src: [p], dst: [p], output: null);
        await bed.MirrorShouldBeAsync("mirror-2", src: [p], dst: [p], output: null);
        (await bed.GetAsync("Mirror", "mirror-1", "output_vlan")).Should().Be("999");
        (await bed.GetAsync("Mirror", "mirror-2", "output_vlan")).Should().Be("998");
        (await bed.GetAsync("Bridge", CniTestbed.Bridge, "flood_vlans")).Should().Be("[998, 999]");
        foreach (var a in new[] { p, c999, c998 })
        {
            (await bed.CheckAsync(a)).Succeeded.Should().BeTrue("CHECK of {0}", a);
        }

        var cap999 = await bed.CaptureAsync(rspan999, "eth1");
        var cap998 = await bed.CaptureAsync(rspan998, "eth1");
        var capTrunk = await bed.CaptureAsync(trunk, "eth1");
        await bed.PingAsync(a300, B300, 3);   // not selected
        await bed.PingAsync(peer, Peer2, 3);  // not selected (VLAN 100, but not the producer)
        await bed.PingAsync(prod, Peer, 4);   // both directions selected
        await bed.TcpExchangeAsync(prod, peer, Peer);

        var expected = new Dictionary<string, int>
        {
            [Echo(P, Peer, request: true)] = 4,
            [Echo(Peer, P, request: false)] = 4,
        };
        string[] tcp = [$"{P}>{Peer}", $"{Peer}>{P}"];
        var seen999 = await cap999.ShouldSeeExactlyAsync(bed, expected, tcp, "rspan mirror-1 on the VLAN 999 access port");
        var seen998 = await cap998.ShouldSeeExactlyAsync(bed, expected, tcp, "rspan mirror-2 on the VLAN 998 access port");
        var seenTrunk = await capTrunk.ShouldSeeExactlyAsync(bed, expected, tcp, "rspan mirror-1 on the trunk [999]");
        seen999.Should().OnlyContain(x => x.Vlan == null, "an access port of the output VLAN gets the copies untagged");
        seen998.Should().OnlyContain(x => x.Vlan == null, "an access port of the output VLAN gets the copies untagged");
        seenTrunk.Should().OnlyContain(x => x.Vlan == 999, "a trunk gets the copies tagged with the output VLAN");

        await bed.DelAsync(p);
        var after999 = await bed.CaptureAsync(rspan999, "eth1");
        var afterTrunk = await bed.CaptureAsync(trunk, "eth1");
        await bed.PingAsync(peer, Peer2, 5);
        await after999.ShouldSeeNothingAsync(bed, "rspan after producer DEL");
        await afterTrunk.ShouldSeeNothingAsync(bed, "rspan after producer DEL");

        await bed.DelAsync(c999);
        await bed.DelAsync(c998);
        await bed.NoMirrorShouldBeLeftAsync();
        (await bed.GetAsync("Bridge", CniTestbed.Bridge, "flood_vlans")).Should().Be("[]", "the RSPAN VLANs were ours");
    }
}
