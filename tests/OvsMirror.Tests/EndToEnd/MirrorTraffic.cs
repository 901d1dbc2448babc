using System.Globalization;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// What a consumer saw, summarised so a test can state exactly what it expects: ICMP echoes as
/// <c>"SRC>DST request|reply" → count</c>, TCP as the set of <c>"SRC>DST"</c> directions seen.
/// </summary>
internal static class MirrorTraffic
{
    /// <summary>Only an upper bound: the wait ends as soon as the expected copies are there.</summary>
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);

    public static string Echo(string source, string destination, bool request) =>
        $"{source}>{destination} {(request ? "request" : "reply")}";

    public static Dictionary<string, int> IcmpSummary(IEnumerable<CapturedPacket> packets) =>
        packets.Where(p => p.IsEchoRequest || p.IsEchoReply)
            .GroupBy(p => Echo(p.Source!, p.Destination!, p.IsEchoRequest), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public static HashSet<string> TcpDirections(IEnumerable<CapturedPacket> packets) =>
        packets.Where(p => p.IsTcp).Select(p => $"{p.Source}>{p.Destination}").ToHashSet(StringComparer.Ordinal);

    public static string Describe(IEnumerable<CapturedPacket> packets)
    {
        var list = packets.Where(p => p.IsIPv4).ToList();
        var icmp = IcmpSummary(list).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} x{kv.Value}");
        var tcp = list.Where(p => p.IsTcp).GroupBy(p => $"{p.Source}>{p.Destination}", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"tcp {g.Key} x{g.Count()}");
        var vlans = list.Select(p => p.Vlan?.ToString(CultureInfo.InvariantCulture) ?? "untagged").Distinct().Order(StringComparer.Ordinal);
        return $"{list.Count} IPv4 frames [{string.Join(", ", icmp.Concat(tcp))}] vlan: {string.Join('/', vlans)}";
    }

    /// <summary>
    /// Waits until the consumer has seen exactly <paramref name="icmp"/> and every TCP direction of
    /// <paramref name="tcp"/> (bounded), flushes the capture (<see cref="CniTestbed.FlushAsync"/>: every copy sent
    /// before is then in it), stops the capture, then asserts
    /// that the ICMP summary and the TCP directions are exactly the expected ones and that no other IPv4
    /// frame arrived. Returns the IPv4 frames.
    /// </summary>
    public static async Task<IReadOnlyList<CapturedPacket>> ShouldSeeExactlyAsync(
        this PacketCapture capture, CniTestbed bed, IReadOnlyDictionary<string, int> icmp, IReadOnlyCollection<string> tcp, string scenario)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(bed);
        await capture.WaitUntilAsync(
            all =>
            {
                var ipv4 = all.Where(p => p.IsIPv4).ToList();
                var seen = IcmpSummary(ipv4);
                return icmp.All(kv => seen.GetValueOrDefault(kv.Key) >= kv.Value) && TcpDirections(ipv4).IsSupersetOf(tcp);
            },
            ArrivalTimeout);
        await bed.FlushAsync(capture); // copies that should not be there were sent with the originals, before the marker
        var packets = (await capture.StopAsync()).Where(p => p.IsIPv4).ToList();
        bed.Log($"{scenario}: consumer {capture.Name} saw {Describe(packets)}");
        var decoded = await capture.DecodeAsync();

        IcmpSummary(packets).Should().BeEquivalentTo(
            icmp, "consumer {0} must see exactly its producers' echoes in the selected directions; capture:\n{1}", capture.Name, decoded);
        TcpDirections(packets).Should().BeEquivalentTo(
            tcp, "consumer {0} must see exactly its producers' TCP segments in the selected directions; capture:\n{1}", capture.Name, decoded);
        packets.Where(p => !p.IsIcmp && !p.IsTcp).Should().BeEmpty("only ping and TCP were sent; capture:\n{0}", decoded);
        return packets;
    }

    /// <summary>Stops the capture and asserts that no IPv4 frame arrived.</summary>
    public static async Task ShouldSeeNothingAsync(this PacketCapture capture, CniTestbed bed, string scenario)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(bed);
        await bed.FlushAsync(capture);
        var packets = (await capture.StopAsync()).Where(p => p.IsIPv4).ToList();
        bed.Log($"{scenario}: consumer {capture.Name} saw {Describe(packets)}");
        packets.Should().BeEmpty("nothing is mirrored to {0} any more; capture:\n{1}", capture.Name, await capture.DecodeAsync());
    }
}
