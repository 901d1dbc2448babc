using OvsMirror.Testing;
using Xunit.Abstractions;
using static OvsMirror.Tests.EndToEnd.MirrorTraffic;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>cni-conf-examples/snaplen.yaml: mirror-1 (both directions of a VLAN 100 producer) with snaplen 128.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class SnaplenTests(ITestOutputHelper output)
{
    private const int Snaplen = 128;
    private const int VlanTag = 4;

    [OvsFact]
    public async Task Snaplen_LargeFramesArriveTruncated_SmallOnesWhole_TheOriginalsUntouched()
    {
        const string P = "10.100.0.1", Peer = "10.100.0.9";
        await using var bed = await CniTestbed.StartAsync(output);
        var prod = await bed.PodAsync("ovs-prod");
        var peer = await bed.PodAsync("peer");
        var cons = await bed.PodAsync("ovs-cons");
        await bed.AddAsync(peer, "eth1", bed.PlainPortConflist("peer-vlan100", vlan: 100), address: Peer + "/24");
        var c = await bed.AddAsync(cons, "eth1", "snaplen-ovs-cons-mir1.conflist");
        var p = await bed.AddAsync(prod, "eth1", "snaplen-ovs-vlan100-prod-mir1-snaplen.conflist", address: P + "/24");
        await bed.MirrorShouldBeAsync("mirror-1", src: [p], dst: [p], output: c);
        (await bed.GetAsync("Mirror", "mirror-1", "snaplen")).Should().Be("128");

        var capture = await bed.CaptureAsync(cons, "eth1");
        await bed.PingAsync(prod, Peer, 3, size: 1000); // answered in full: the originals are not truncated
        await bed.PingAsync(prod, Peer, 2, size: 20);
        await bed.TcpExchangeAsync(prod, peer, Peer);
        var seen = await capture.ShouldSeeExactlyAsync(
            bed,
            new Dictionary<string, int>
            {
                [Echo(P, Peer, request: true)] = 5,
                [Echo(Peer, P, request: false)] = 5,
            },
            [$"{P}>{Peer}", $"{Peer}>{P}"],
            "snaplen 128");

        var large = seen.Where(x => x.IsIcmp && x.IpTotalLength == 1028).ToList();
        var small = seen.Where(x => x.IsIcmp && x.IpTotalLength == 48).ToList();
        bed.Log($"snaplen: large copies {string.Join(',', large.Select(x => x.CapturedLength).Distinct())} bytes on the wire " +
            $"(IP length 1028), small copies {string.Join(',', small.Select(x => x.CapturedLength).Distinct())} bytes");
        large.Should().HaveCount(6);
        large.Should().OnlyContain(x => x.CapturedLength == x.WireLength, "the frame itself is short, not just the capture");
        large.Should().OnlyContain(
            x => x.CapturedLength <= Snaplen + VlanTag && x.CapturedLength >= Snaplen - VlanTag,
            "copies are cut to snaplen {0} (plus the 802.1Q tag on a trunk consumer)", Snaplen);
        small.Should().HaveCount(4);
        small.Should().OnlyContain(x => x.CapturedLength == 14 + VlanTag + 48, "frames shorter than snaplen are copied whole");
    }
}
