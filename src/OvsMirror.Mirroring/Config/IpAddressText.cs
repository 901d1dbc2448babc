using System.Net;
using System.Net.Sockets;

namespace OvsMirror.Mirroring.Config;

/// <summary>Tunnel endpoints as configs write them, for every backend (an OVS remote, an OVN sink).</summary>
internal static class IpAddressText
{
    /// <summary>
    /// A literal IPv4 (dotted quad, as written) or IPv6 address. <see cref="IPAddress.TryParse(string, out IPAddress)"/>
    /// alone also takes "1" or "10.1" (inet_aton forms), which no tunnel endpoint is written as.
    /// </summary>
    public static bool IsIpAddress(string text)
    {
        if (!IPAddress.TryParse(text, out var address))
        {
            return false;
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? text.Contains(':', StringComparison.Ordinal) && !text.Contains('%', StringComparison.Ordinal)
            : address.ToString() == text;
    }
}
