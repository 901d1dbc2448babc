using System.Globalization;
using OvsMirror.Mirroring.Config;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Makes a mirror change apply to traffic that is already flowing. ovs-vswitchd does not revalidate
/// installed datapath flows when a Mirror row changes (DESIGN §4; kube-ovn issue #2801), so an
/// established flow keeps its old actions until it expires. "revalidator/purge" over ovs-vswitchd's
/// unixctl socket (JSON-RPC, the same framing as OVSDB) drops the datapath flows; the next packet of
/// each flow is translated again, now with the mirror. The purge must come after ovs-vswitchd has applied
/// the change, or flows would be re-translated with the old mirror: so it first waits, in the server, for
/// cur_cfg to reach the next_cfg the change set (<see cref="ConfigSequence"/>). It is best effort: a failure
/// is logged, not fatal, since the OVSDB change itself is committed and new flows are mirrored regardless.
/// </summary>
internal sealed class FlowRevalidator(PluginConfig config, TextWriter log)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>How long ovs-vswitchd may take to apply a change before the purge goes ahead anyway.</summary>
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(2);

    public bool Enabled => config.FlowRevalidation != FlowRevalidation.None;

    /// <param name="connection">The OVSDB connection the change was made on.</param>
    /// <param name="appliedSequence">The next_cfg the change set; null skips the wait (no Open_vSwitch row).</param>
    public void Revalidate(OvsdbConnection connection, long? appliedSequence)
    {
        if (!Enabled)
        {
            return;
        }

        var ctl = FindControlSocket();
        if (ctl is null)
        {
            log.WriteLine(
                "ovs-mirror: warning: no ovs-vswitchd control socket found (set \"vswitchdCtl\"); " +
                "flows established before this change keep their old mirroring until they expire");
            return;
        }

        if (appliedSequence is { } sequence)
        {
            var applied = connection.Transact(ConfigSequence.WaitApplied(sequence, ApplyTimeout));
            if (applied.FirstFailure is { } failure)
            {
                log.WriteLine($"ovs-mirror: warning: ovs-vswitchd did not apply the change within {ApplyTimeout.TotalSeconds:0} s " +
                              $"({failure.Error}); purging flows anyway");
            }
        }

        try
        {
            using var unixctl = OvsdbConnection.Connect(OvsdbEndpoint.Unix(ctl), Timeout);
            using var reply = unixctl.Call("revalidator/purge", static w => { w.WriteStartArray(); w.WriteEndArray(); });
        }
        catch (OvsdbException e)
        {
            log.WriteLine($"ovs-mirror: warning: revalidator/purge on {ctl} failed: {e.Message}");
        }
    }

    /// <summary>
    /// The "vswitchdCtl" setting, else ovs-vswitchd's default in the OVSDB socket's run directory:
    /// ovs-vswitchd.PID.ctl (PID from ovs-vswitchd.pid), or ovs-vswitchd.ctl when started with --unixctl.
    /// </summary>
    private string? FindControlSocket()
    {
        if (config.VswitchdCtl is { } explicitPath)
        {
            return explicitPath;
        }

        if (config.Endpoint.Kind != OvsdbEndpointKind.Unix || Path.GetDirectoryName(config.Endpoint.Path) is not { } runDir)
        {
            return null;
        }

        try
        {
            var pid = File.ReadAllText(Path.Combine(runDir, "ovs-vswitchd.pid")).Trim();
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                var byPid = Path.Combine(runDir, $"ovs-vswitchd.{pid}.ctl");
                if (File.Exists(byPid))
                {
                    return byPid;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        var plain = Path.Combine(runDir, "ovs-vswitchd.ctl");
        return File.Exists(plain) ? plain : null;
    }
}
