using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;

namespace OvsMirror.Ovsdb;

/// <summary>
/// Where an OVSDB server listens, in the active connection methods of ovsdb-server(1) that ovs-cni's
/// "socket_file" accepts: "unix:FILE" and "tcp:HOST:PORT" ("tcp:[IPV6]:PORT"). A bare absolute path
/// means "unix:PATH", as in ovs-cni.
/// </summary>
public sealed class OvsdbEndpoint
{
    /// <summary>sun_path is 108 bytes including the terminating NUL (unix(7)).</summary>
    public const int MaxUnixPathBytes = 107;

    private OvsdbEndpoint(OvsdbEndpointKind kind, string path, string host, int port)
    {
        Kind = kind;
        Path = path;
        Host = host;
        Port = port;
    }

    public OvsdbEndpointKind Kind { get; }

    /// <summary>The socket file, for <see cref="OvsdbEndpointKind.Unix"/>.</summary>
    public string Path { get; }

    /// <summary>An IP address or a host name, for <see cref="OvsdbEndpointKind.Tcp"/>; IPv6 without brackets.</summary>
    public string Host { get; }

    public int Port { get; }

    public static OvsdbEndpoint Unix(string path) =>
        TryParse("unix:" + path, out var endpoint, out var error) ? endpoint : throw new FormatException(error);

    public static OvsdbEndpoint Parse(string text) =>
        TryParse(text, out var endpoint, out var error) ? endpoint : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out OvsdbEndpoint? endpoint,
        [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "is empty; expected unix:PATH or tcp:HOST:PORT";
            return false;
        }

        if (text.StartsWith('/'))
        {
            text = "unix:" + text;
        }

        if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = text["unix:".Length..];
            if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
            {
                error = $"\"{text}\" has no socket path; expected unix:PATH";
                return false;
            }

            if (Encoding.UTF8.GetByteCount(path) > MaxUnixPathBytes)
            {
                error = $"socket path is longer than {MaxUnixPathBytes} bytes, the limit of a unix socket address";
                return false;
            }

            endpoint = new OvsdbEndpoint(OvsdbEndpointKind.Unix, path, "", 0);
            error = null;
            return true;
        }

        if (text.StartsWith("tcp:", StringComparison.Ordinal))
        {
            var rest = text["tcp:".Length..];
            var colon = rest.LastIndexOf(':');
            if (colon <= 0)
            {
                error = $"\"{text}\" has no port; expected tcp:HOST:PORT";
                return false;
            }

            var host = rest[..colon];
            var portText = rest[(colon + 1)..];
            if (host.StartsWith('[') && host.EndsWith(']'))
            {
                host = host[1..^1];
                if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
                {
                    error = $"\"{text}\" has a malformed IPv6 address";
                    return false;
                }
            }
            else if (host.Contains(':', StringComparison.Ordinal))
            {
                error = $"\"{text}\": write an IPv6 address in brackets, tcp:[ADDR]:PORT";
                return false;
            }
            else if (Uri.CheckHostName(host) is UriHostNameType.Unknown or UriHostNameType.Basic)
            {
                error = $"\"{text}\" has a malformed host";
                return false;
            }

            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ||
                port is < 1 or > 65535)
            {
                error = $"\"{text}\" has a port outside 1-65535";
                return false;
            }

            endpoint = new OvsdbEndpoint(OvsdbEndpointKind.Tcp, "", host, port);
            error = null;
            return true;
        }

        error = $"\"{text}\" is not unix:PATH or tcp:HOST:PORT";
        return false;
    }

    public override string ToString() => Kind == OvsdbEndpointKind.Unix
        ? "unix:" + Path
        : Host.Contains(':', StringComparison.Ordinal)
            ? $"tcp:[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
            : $"tcp:{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
