using System.Diagnostics;
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
/// cur_cfg to reach the next_cfg the change set (<see cref="ConfigSequence"/>).
/// </summary>
/// <remarks>
/// Best effort, and bounded: it runs only after the change has committed, so whatever happens here the call reports
/// success (a failure is logged). Both steps together get one budget, <c>flowRevalidationTimeoutMs</c> (300 ms by
/// default), capped by what is left of the call's <c>timeoutMs</c>: a stalled ovs-vswitchd costs a pod start at most
/// that, and the call still ends within <c>timeoutMs</c>. The wait for cur_cfg gets up to three quarters of the
/// budget, inside ovsdb-server; the purge gets the rest. New flows are mirrored regardless; only flows already
/// established when the change was made may keep their old mirroring until they expire, if the purge is not done.
/// </remarks>
internal sealed class FlowRevalidator(PluginConfig config, TextWriter log)
{
    public bool Enabled => config.FlowRevalidation != FlowRevalidation.None;

    /// <param name="connection">The OVSDB connection the change was made on.</param>
    /// <param name="appliedSequence">The next_cfg the change set; null skips the wait (no Open_vSwitch row).</param>
    /// <param name="callDeadline">The call's deadline (a <see cref="Stopwatch"/> timestamp) that nothing may pass.</param>
    public void Revalidate(OvsdbConnection connection, long? appliedSequence, long callDeadline)
    {
        if (!Enabled)
        {
            return;
        }

        var ctl = VswitchdControlSocket.Find(config.VswitchdCtl, config.Endpoint);
        if (ctl is null)
        {
            log.WriteLine(
                "ovs-mirror: warning: no ovs-vswitchd control socket found (set \"vswitchdCtl\"); " +
                "flows established before this change keep their old mirroring until they expire");
            return;
        }

        long start = Stopwatch.GetTimestamp();
        long deadline = Math.Min(callDeadline, start + (long)(config.FlowRevalidationTimeout.TotalSeconds * Stopwatch.Frequency));
        if (deadline <= start)
        {
            log.WriteLine("ovs-mirror: warning: no time left of timeoutMs to revalidate flows; established flows keep their old mirroring until they expire");
            return;
        }

        if (appliedSequence is { } sequence && !WaitApplied(connection, sequence, start, deadline))
        {
            return;
        }

        Purge(ctl, deadline);
    }

    /// <summary>Returns false when no time is left for the purge.</summary>
    private bool WaitApplied(OvsdbConnection connection, long sequence, long start, long deadline)
    {
        var serverTimeout = TimeSpan.FromSeconds((deadline - start) * 0.75 / Stopwatch.Frequency);
        var callDeadline = connection.Deadline;
        connection.Deadline = deadline;
        try
        {
            var applied = connection.Transact(ConfigSequence.WaitApplied(sequence, serverTimeout));
            if (applied.FirstFailure is { } failure)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ovs-mirror: warning: ovs-vswitchd did not apply the change within {serverTimeout.TotalMilliseconds:0} ms ({failure.Error}); purging flows anyway"));
            }

            return true;
        }
        catch (OvsdbException e)
        {
            log.WriteLine($"ovs-mirror: warning: waiting for ovs-vswitchd to apply the change failed ({e.Message}); flows are not purged");
            return false;
        }
        finally
        {
            connection.Deadline = callDeadline;
        }
    }

    private void Purge(string ctl, long deadline)
    {
        var left = TimeSpan.FromSeconds(Math.Max(0, deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
        try
        {
            using var unixctl = OvsdbConnection.Connect(OvsdbEndpoint.Unix(ctl), left);
            unixctl.Deadline = deadline;
            using var reply = unixctl.Call("revalidator/purge", static w => { w.WriteStartArray(); w.WriteEndArray(); });
        }
        catch (OvsdbException e)
        {
            log.WriteLine($"ovs-mirror: warning: revalidator/purge on {ctl} failed ({e.Message}); established flows keep their old mirroring until they expire");
        }
    }
}
