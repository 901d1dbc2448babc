using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using static OvsMirror.Mirroring.Config.ConfigValueReader;

using OvsMirror.Mirroring.Config;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// A producer entry's <c>remote</c>: the mirror's output is a GRE or ERSPAN tunnel to a collector instead of a
/// consumer pod (spec: kube-ovn-remote-port-mirroring.md; ovs-vswitchd.conf.db(5) Interface "Tunnel Options").
/// Over IPv6 OVS calls the types ip6gre and ip6erspan.
/// </summary>
internal sealed record RemoteOutput(string Type, string RemoteIp, long? Key, int? ErspanVersion, int? ErspanIndex, int? ErspanDir, int? ErspanHwid)
{
    /// <summary>A GRE key is 32 bits (RFC 2890).</summary>
    public const long MaxGreKey = uint.MaxValue;

    /// <summary>An ERSPAN session id is 10 bits.</summary>
    public const long MaxErspanSession = 1023;

    /// <summary>ERSPAN v1 index: 20 bits; v2 hardware id: 6 bits.</summary>
    public const int MaxErspanIndex = (1 << 20) - 1;

    public const int MaxErspanHwid = 63;

    private static readonly string[] Keys = ["type", "remoteIp", "key", "erspanVersion", "erspanIndex", "erspanDir", "erspanHwid"];

    public bool IsIpv6 => RemoteIp.Contains(':', StringComparison.Ordinal);

    /// <summary>Interface.type: gre, erspan, ip6gre or ip6erspan.</summary>
    public string InterfaceType => (IsIpv6 ? "ip6" : "") + Type;

    /// <summary>
    /// Interface.options. OVS reads erspan_idx and erspan_hwid as hexadecimal (lib/netdev-vport.c), so they are
    /// written with 0x; key and erspan_dir are decimal.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options()
    {
        var options = new List<KeyValuePair<string, string>> { KeyValuePair.Create("remote_ip", RemoteIp) };
        if (Key is { } key)
        {
            options.Add(KeyValuePair.Create("key", key.ToString(CultureInfo.InvariantCulture)));
        }

        if (ErspanVersion is { } version)
        {
            options.Add(KeyValuePair.Create("erspan_ver", version.ToString(CultureInfo.InvariantCulture)));
        }

        if (ErspanIndex is { } index)
        {
            options.Add(KeyValuePair.Create("erspan_idx", "0x" + index.ToString("x", CultureInfo.InvariantCulture)));
        }

        if (ErspanDir is { } dir)
        {
            options.Add(KeyValuePair.Create("erspan_dir", dir.ToString(CultureInfo.InvariantCulture)));
        }

        if (ErspanHwid is { } hwid)
        {
            options.Add(KeyValuePair.Create("erspan_hwid", "0x" + hwid.ToString("x", CultureInfo.InvariantCulture)));
        }

        return options;
    }

    /// <summary>One canonical string per definition: producers of one mirror must give the same one.</summary>
    public string Canonical() => InterfaceType + ";" + string.Join(";", Options().Select(o => o.Key + "=" + o.Value));

    internal static RemoteOutput Parse(JsonNode node, string path)
    {
        if (node is not JsonObject remote)
        {
            throw Invalid($"{path} must be an object");
        }

        foreach (var (name, _) in remote)
        {
            if (!Keys.Contains(name, StringComparer.Ordinal))
            {
                throw Invalid(MessageText.KeyPath(path, name) is { } keyPath
                    ? $"{keyPath} is not a key of remote ({string.Join(", ", Keys)})"
                    : $"{path} has a key that remote does not know");
            }
        }

        var type = RequiredNonEmptyString(remote, "type", path + ".type");
        if (type is not ("gre" or "erspan"))
        {
            throw Invalid($"{path}.type: {MessageText.Word(type)} is not one of gre, erspan");
        }

        var ip = RequiredNonEmptyString(remote, "remoteIp", path + ".remoteIp");
        if (!IpAddressText.IsIpAddress(ip))
        {
            throw Invalid($"{path}.remoteIp is not an IPv4 or IPv6 address");
        }

        var address = IPAddress.Parse(ip);
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ||
            (address.AddressFamily == AddressFamily.InterNetwork ? address.GetAddressBytes()[0] >= 224 : address.IsIPv6Multicast))
        {
            throw Invalid($"{path}.remoteIp must be a unicast address");
        }

        var isErspan = type == "erspan";
        long? key = Get(remote, "key") is { } k
            ? ReadLong(k, path + ".key", 0, isErspan ? MaxErspanSession : MaxGreKey)
            : null;
        int? version = OptionalInteger(remote, "erspanVersion", path + ".erspanVersion", 1, 2);
        int? index = OptionalInteger(remote, "erspanIndex", path + ".erspanIndex", 0, MaxErspanIndex);
        int? dir = OptionalInteger(remote, "erspanDir", path + ".erspanDir", 0, 1);
        int? hwid = OptionalInteger(remote, "erspanHwid", path + ".erspanHwid", 0, MaxErspanHwid);
        if (!isErspan)
        {
            if (version is not null || index is not null || dir is not null || hwid is not null)
            {
                throw Invalid($"{path}: erspanVersion, erspanIndex, erspanDir and erspanHwid are only for type erspan");
            }

            return new RemoteOutput(type, address.ToString(), key, null, null, null, null);
        }

        if (version is null)
        {
            throw Invalid($"{path}.erspanVersion is required for type erspan (1 or 2)");
        }

        if (version == 1 && (dir is not null || hwid is not null))
        {
            throw Invalid($"{path}: erspanDir and erspanHwid are for erspanVersion 2; version 1 takes erspanIndex");
        }

        if (version == 2 && index is not null)
        {
            throw Invalid($"{path}.erspanIndex is for erspanVersion 1; version 2 takes erspanDir and erspanHwid");
        }

        return version == 1
            ? new RemoteOutput(type, address.ToString(), key, 1, index ?? 0, null, null)
            : new RemoteOutput(type, address.ToString(), key, 2, null, dir ?? 0, hwid ?? 0);
    }
}
