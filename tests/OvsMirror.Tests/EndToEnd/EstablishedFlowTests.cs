using System.Globalization;
using System.Text.RegularExpressions;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// DESIGN §4/§6: ovs-vswitchd does not revalidate installed datapath flows when a Mirror changes, so a flow that
/// is already running keeps its old actions (reference/ovs-test-rig.md pitfall 1; checked here: without a
/// revalidation an established ping stays unmirrored for seconds). The plugin purges the datapath flows through
/// "vswitchdCtl". These tests keep a ping running at 0.1 s across the change and read the consumer's pcap
/// timestamps against the times ADD and DEL returned.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed partial class EstablishedFlowTests(ITestOutputHelper output)
{
    private static readonly TimeSpan WithinOneSecond = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A pod's own port does not exist before its ADD, so the flow that can be established across a producer's
    /// ADD is one between other pods, which a select_all producer selects (cni-conf-examples/select-all.yaml).
    /// </summary>
    [OvsFact]
    public async Task SelectAllProducer_AddAndDelAcrossAnEstablishedFlow_MirroredWithinOneSecondOfAdd_NotAfterDel()
    {
        await using var bed = await CniTestbed.StartAsync(output);
        var cons = await bed.PodAsync("ovs-cons");
        var x = await bed.PodAsync("x");
        var y = await bed.PodAsync("y");
        var producer = await bed.PodAsync("ovs-prod-all");
        var vlan100 = bed.PlainPortConflist("peer-vlan100", vlan: 100);
        await bed.AddAsync(x, "eth1", vlan100, address: "10.100.0.2/24");
        await bed.AddAsync(y, "eth1", vlan100, address: "10.100.0.3/24");
        var consumer = await bed.AddAsync(cons, "eth1", "select-all-ovs-cons-mir1.conflist");
        var capture = await bed.CaptureAsync(cons, "eth1");

        var ping = await StartEstablishedPingAsync(bed, x, "10.100.0.3");
        var addStart = DateTimeOffset.UtcNow;
        var prod = await bed.AddAsync(producer, "eth1", "select-all-ovs-vlan100-prod-all.conflist", address: "10.100.0.1/24");
        var addDone = DateTimeOffset.UtcNow;
        (await bed.GetAsync("Mirror", "mirror-1", "select_all")).Should().Be("true");
        await capture.WaitUntilAsync(p => Requests(p, "10.100.0.2").Count >= 15, TimeSpan.FromSeconds(5));

        var delStart = DateTimeOffset.UtcNow;
        await bed.DelAsync(prod);
        var delDone = DateTimeOffset.UtcNow;
        await bed.MirrorShouldBeAsync("mirror-1", src: [], dst: [], output: consumer);
        (await bed.GetAsync("Mirror", "mirror-1", "select_all")).Should().Be("false", "the only select_all producer left");
        await WaitForMoreRepliesAsync(ping, 15); // 1.5 s more of the same flow after DEL
        await ping.StopAsync();
        var packets = await capture.StopAsync();

        await AssertMirroredOnlyBetweenAsync(bed, capture, packets, "10.100.0.2", addStart, addDone, delStart, delDone, ping, "select_all producer");
    }

    /// <summary>
    /// The consumer joins while its producer's flow is running (cni-conf-examples/nad-tc2: ovs-prod-1 into mirror-1,
    /// then ovs-cons-1 as the output of mirror-1): the flow is mirrored within 1 s of the consumer's ADD; after the
    /// consumer's DEL the mirror has no output and the flow goes on undisturbed.
    /// </summary>
    [OvsFact]
    public async Task LateConsumer_OnAnEstablishedFlow_SeesItWithinOneSecondOfAdd_AndDelLeavesTheFlowUndisturbed()
    {
        await using var bed = await CniTestbed.StartAsync(output);
        var prod = await bed.PodAsync("ovs-prod-1");
        var peer = await bed.PodAsync("peer");
        var cons = await bed.PodAsync("ovs-cons-1");
        await bed.AddAsync(peer, "eth1", bed.PlainPortConflist("peer-vlan100", vlan: 100), address: "10.100.0.9/24");
        var producer = await bed.AddAsync(prod, "eth1", "nad-tc2-ovs-vlan100-prod-mir-1-prod-mir-2.conflist", address: "10.100.0.1/24");

        var ping = await StartEstablishedPingAsync(bed, prod, "10.100.0.9");
        var addStart = DateTimeOffset.UtcNow;
        var consumer = await bed.AddAsync(cons, "eth2", "nad-tc2-ovs-cons-mir-1.conflist");
        var addDone = DateTimeOffset.UtcNow;
        var capture = await bed.CaptureAsync(cons, "eth2"); // its interface exists only now
        var ready = DateTimeOffset.UtcNow;
        bed.Log($"capture ready {(ready - addDone).TotalMilliseconds:0} ms after ADD returned");
        await capture.WaitUntilAsync(p => Requests(p, "10.100.0.1").Count >= 10, TimeSpan.FromSeconds(5));
        await ping.StopAsync();
        var packets = await capture.StopAsync();

        var mirrored = Requests(packets, "10.100.0.1");
        bed.Log($"late consumer: {mirrored.Count} requests mirrored, first {Ms(mirrored.FirstOrDefault()?.Time - addDone)} ms after ADD returned");
        mirrored.Should().NotBeEmpty("the established flow must be mirrored once the consumer joined; capture:\n{0}", await capture.DecodeAsync());
        (mirrored[0].Time - addDone).Should().BeLessThan(WithinOneSecond, "mirrored within 1 s of the consumer's ADD");
        SequencesShouldBeContiguous(mirrored);
        packets.Where(p => p.IsIPv4).Should().OnlyContain(p => p.Source == "10.100.0.1", "mirror-1 selects prod-1's sent packets only");

        // DEL: the mirror stays (prod-1 is a member) without output; the flow keeps running unharmed
        var ping2 = await StartEstablishedPingAsync(bed, prod, "10.100.0.9");
        await bed.DelAsync(consumer);
        await WaitForMoreRepliesAsync(ping2, 10);
        await ping2.StopAsync();
        await bed.MirrorShouldBeAsync("mirror-1", src: [producer], dst: [], output: null);
        LostPings(ping2).Should().Be(0, "the producer's traffic is not disturbed by its consumer leaving: {0}", ping2.StandardOutput);
    }

    private static async Task<NetnsProcess> StartEstablishedPingAsync(CniTestbed bed, Pod from, string to)
    {
        var ping = bed.Start(from, OvsTools.Require("ping"), "-i", "0.1", "-W", "1", to);
        await ping.WaitForStandardOutputAsync("icmp_seq=10 ", TimeSpan.FromSeconds(10)); // 1 s of answered pings: the flow is in the datapath
        bed.Log($"established ping {from.Name} -> {to} running");
        return ping;
    }

    private static async Task WaitForMoreRepliesAsync(NetnsProcess ping, int more)
    {
        var last = Seqs(ping).DefaultIfEmpty(0).Max();
        await ping.WaitForStandardOutputAsync($"icmp_seq={last + more} ", TimeSpan.FromSeconds(10));
    }

    private static async Task AssertMirroredOnlyBetweenAsync(
        CniTestbed bed, PacketCapture capture, IReadOnlyList<CapturedPacket> packets, string source,
        DateTimeOffset addStart, DateTimeOffset addDone, DateTimeOffset delStart, DateTimeOffset delDone, NetnsProcess ping, string what)
    {
        var mirrored = Requests(packets, source);
        var decoded = await capture.DecodeAsync(200);
        bed.Log(
            $"{what}: ADD took {Ms(addDone - addStart)} ms, DEL {Ms(delDone - delStart)} ms; {mirrored.Count} requests mirrored, " +
            $"first {Ms(mirrored.FirstOrDefault()?.Time - addDone)} ms after ADD returned, last {Ms(mirrored.LastOrDefault()?.Time - delDone)} ms after DEL returned; " +
            $"{Seqs(ping).Count} pings answered");

        mirrored.Should().NotBeEmpty("the established flow must be mirrored after ADD; capture:\n{0}", decoded);
        mirrored.Should().OnlyContain(p => p.Time >= addStart, "nothing is mirrored before the producer's ADD");
        (mirrored[0].Time - addDone).Should().BeLessThan(WithinOneSecond, "mirrored within 1 s of ADD; capture:\n{0}", decoded);
        mirrored.Should().OnlyContain(p => p.Time <= delDone, "nothing is mirrored after DEL returned; capture:\n{0}", decoded);
        SequencesShouldBeContiguous(mirrored);
        LostPings(ping).Should().Be(0, "mirroring never disturbs the flow: {0}", ping.StandardOutput);
    }

    private static List<CapturedPacket> Requests(IEnumerable<CapturedPacket> packets, string source) =>
        [.. packets.Where(p => p.IsEchoRequest && p.Source == source).OrderBy(p => p.Time)];

    /// <summary>Once mirroring starts, every echo request of the flow is mirrored until it stops: no gaps.</summary>
    private static void SequencesShouldBeContiguous(List<CapturedPacket> mirrored)
    {
        var seqs = mirrored.Select(p => p.IcmpSequence!.Value).ToList();
        seqs.Should().Equal(
            Enumerable.Range(seqs[0], seqs.Count), "every request between the first and the last mirrored one is mirrored");
    }

    private static List<int> Seqs(NetnsProcess ping) =>
        [.. Seq().Matches(ping.StandardOutput).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    /// <summary>Requests sent minus replies received, from the lines printed (the last request may still be in flight).</summary>
    private static int LostPings(NetnsProcess ping)
    {
        var seqs = Seqs(ping);
        return seqs.Count == 0 ? int.MaxValue : Math.Max(0, seqs.Max() - seqs.Distinct().Count());
    }

    private static string Ms(TimeSpan? t) => t is { } v ? v.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) : "-";

    [GeneratedRegex(@"icmp_seq=(\d+) ")]
    private static partial Regex Seq();
}
