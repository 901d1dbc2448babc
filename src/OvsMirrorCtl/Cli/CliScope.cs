using System.Text.Json.Nodes;
using OvsMirror.Mirroring;
using OvsMirror.Mirroring.Ovn;
using OvsMirror.Mirroring.Ovs;
using OvsMirror.Ovsdb;

namespace OvsMirror.Cli;

/// <summary>
/// Which backends a command works on: OVN Northbound when <c>--ovn-nb</c> is given, else one bridge or every bridge of
/// the OVSDB. Configs are built with the plugin's own parsers (cleanup purpose), so an endpoint is read exactly as the
/// plugin reads socket_file and ovn_nb.
/// </summary>
internal sealed class CliScope(string socket, string? bridge, string? ovnNb, int timeoutMs)
{
    private const string ProgramName = "ovs-mirror";

    /// <summary>Opens one connection and hands <paramref name="action"/> a backend per scope.</summary>
    public void Run(TextWriter log, Action<IReadOnlyList<IMirrorBackend>> action)
    {
        var timeout = new JsonObject { ["timeoutMs"] = timeoutMs };
        if (ovnNb is not null)
        {
            timeout["ovn_nb"] = ovnNb;
            var nb = OvnConfigParser.ParseForCleanup(timeout);
            OvsdbSession.Run(nb.Endpoint, nb.Timeout, "--ovn-nb", null,
                (connection, deadline) => action([nb.Open(connection, deadline, log)]), CancellationToken.None);
            return;
        }

        var first = Config(bridge ?? "-");
        OvsdbSession.Run(first.Endpoint, first.Timeout, "--socket", null, (connection, deadline) =>
        {
            var bridges = bridge is not null ? [bridge] : ReadBridgeNames(connection);
            action([.. bridges.Select(b => Config(b).Open(connection, deadline, log))]);
        }, CancellationToken.None);
    }

    /// <summary>The OVSDB endpoint and deadline, read from --socket and --timeout-ms as the plugin reads socket_file and timeoutMs.</summary>
    public (OvsdbEndpoint Endpoint, TimeSpan Timeout) Ovs()
    {
        var config = Config(bridge ?? "-");
        return (config.Endpoint, config.Timeout);
    }

    /// <summary>The OVN Northbound endpoint and deadline (--ovn-nb), as the plugin reads ovn_nb; null without --ovn-nb.</summary>
    public (OvsdbEndpoint Endpoint, TimeSpan Timeout)? Northbound()
    {
        if (ovnNb is null)
        {
            return null;
        }

        var nb = OvnConfigParser.ParseForCleanup(new JsonObject { ["timeoutMs"] = timeoutMs, ["ovn_nb"] = ovnNb });
        return (nb.Endpoint, nb.Timeout);
    }

    /// <summary>The same scope without OVN Northbound: every bridge (or --bridge) of the OVSDB.</summary>
    public CliScope BridgesOnly() => new(socket, bridge, null, timeoutMs);

    private PluginConfig Config(string bridgeName) => PluginConfigParser.ParseForCleanup(new JsonObject
    {
        ["bridge"] = bridgeName,
        ["socket_file"] = socket,
        ["timeoutMs"] = timeoutMs,
    }, ProgramName, ProgramName);

    private static List<string> ReadBridgeNames(OvsdbConnection connection) =>
    [
        .. connection.Transact(new Transaction(VswitchSchema.Database)
                .Add(new SelectOperation(VswitchSchema.Bridge, Where.All, [VswitchSchema.Name])))
            .ThrowIfAnyFailed()[0].Rows.Select(r => r.GetString(VswitchSchema.Name)).Order(StringComparer.Ordinal),
    ];
}
