using System.Text.RegularExpressions;

namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>
/// One frame of a capture, from a line of <c>tcpdump -r FILE -tt -nn -e</c>: its time, (innermost) ethertype,
/// VLAN tag, IPv4 addresses, ICMP echo type, or for ARP the sender's address.
/// </summary>
public sealed partial record CapturedFrame(
    string Line, double Time, string EtherType, int? Vlan, string? Source, string? Destination, string? Icmp)
{
    public bool IsIPv6 => EtherType == "IPv6";

    public bool IsIPv4 => EtherType == "IPv4";

    public bool IsArp => EtherType == "ARP";

    public bool IsEchoRequest => Icmp == "echo request";

    public bool IsEchoReply => Icmp == "echo reply";

    /// <summary>"SRC>DST echo request": the key the tests count by.</summary>
    public string? EchoKey => Icmp is null ? null : $"{Source}>{Destination} {Icmp}";

    public static CapturedFrame Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var time = double.TryParse(line.Split(' ', 2)[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : double.NaN;
        var types = EtherTypePattern().Matches(line);
        var etherType = types.Count > 0 ? types[^1].Groups[1].Value : "unknown";
        var vlan = VlanPattern().Match(line) is { Success: true } v ? int.Parse(v.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        string? src = null, dst = null, icmp = null;
        if (etherType == "IPv4" && Ipv4Pattern().Match(line) is { Success: true } ip)
        {
            src = ip.Groups[1].Value;
            dst = ip.Groups[2].Value;
            if (IcmpPattern().Match(line) is { Success: true } i)
            {
                icmp = i.Groups[1].Value;
            }
        }
        else if (etherType == "ARP")
        {
            if (ArpRequestPattern().Match(line) is { Success: true } rq)
            {
                src = rq.Groups[2].Value;
                dst = rq.Groups[1].Value;
            }
            else if (ArpReplyPattern().Match(line) is { Success: true } rp)
            {
                src = rp.Groups[1].Value;
            }
        }

        return new CapturedFrame(line, time, etherType, vlan, src, dst, icmp);
    }

    public override string ToString() => Line;

    [GeneratedRegex(@"ethertype (\w+) \(0x")]
    private static partial Regex EtherTypePattern();

    [GeneratedRegex(@"vlan (\d+), p")]
    private static partial Regex VlanPattern();

    [GeneratedRegex(@"\b(\d+\.\d+\.\d+\.\d+)(?:\.\d+)? > (\d+\.\d+\.\d+\.\d+)(?:\.\d+)?: ")]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"ICMP (echo request|echo reply)")]
    private static partial Regex IcmpPattern();

    [GeneratedRegex(@"Request who-has (\d+\.\d+\.\d+\.\d+) tell (\d+\.\d+\.\d+\.\d+)")]
    private static partial Regex ArpRequestPattern();

    [GeneratedRegex(@"Reply (\d+\.\d+\.\d+\.\d+) is-at")]
    private static partial Regex ArpReplyPattern();
}
