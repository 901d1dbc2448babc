using System.Globalization;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// One frame of a capture, decoded as far as the tests need: 802.1Q tags, IPv4 addresses and protocol,
/// ICMP type/id/sequence, TCP ports and flags. Fields of layers the frame does not have are null.
/// </summary>
internal sealed record CapturedPacket(
    DateTimeOffset Time,
    int CapturedLength,
    int WireLength,
    IReadOnlyList<int> Vlans,
    int EtherType,
    string? Source,
    string? Destination,
    int? Protocol,
    int? IpTotalLength,
    int? IcmpType,
    int? IcmpId,
    int? IcmpSequence,
    int? SourcePort,
    int? DestinationPort,
    int? TcpFlags)
{
    public const int IcmpEchoReply = 0;
    public const int IcmpEchoRequest = 8;

    public bool IsIPv4 => Source is not null;

    public bool IsIcmp => Protocol == 1;

    public bool IsTcp => Protocol == 6;

    public bool IsEchoRequest => IsIcmp && IcmpType == IcmpEchoRequest;

    public bool IsEchoReply => IsIcmp && IcmpType == IcmpEchoReply;

    public bool IsTcpSyn => IsTcp && TcpFlags is { } f && (f & 0x02) != 0 && (f & 0x10) == 0;

    /// <summary>The outer VLAN tag, or null for an untagged frame.</summary>
    public int? Vlan => Vlans.Count > 0 ? Vlans[0] : null;

    public override string ToString()
    {
        var vlan = Vlans.Count > 0 ? $"vlan {string.Join('.', Vlans)} " : string.Empty;
        var what = Protocol switch
        {
            1 => $"ICMP type {IcmpType} id {IcmpId} seq {IcmpSequence}",
            6 => $"TCP {SourcePort}>{DestinationPort} flags 0x{TcpFlags:x2}",
            null => $"ethertype 0x{EtherType:x4}",
            _ => $"proto {Protocol}",
        };
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Time:HH:mm:ss.ffffff} {vlan}{Source} > {Destination} {what} (caplen {CapturedLength}, len {WireLength}, ip len {IpTotalLength})");
    }
}
