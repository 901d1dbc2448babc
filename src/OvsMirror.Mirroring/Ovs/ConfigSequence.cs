using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// The handshake ovs-vsctl uses to know ovs-vswitchd has applied a change (ovs-vswitchd.conf.db(5),
/// Open_vSwitch next_cfg and cur_cfg): the change's own transaction increments next_cfg and reads the new
/// value N; ovs-vswitchd sets cur_cfg to N once it has reconfigured. Only then is a datapath flow purge
/// sure to re-translate flows with the new mirror rather than the old one.
/// </summary>
internal static class ConfigSequence
{
    private static readonly string[] NextCfgColumn = [VswitchSchema.NextCfg];

    /// <summary>Appends "next_cfg += 1" and a read of it; returns the index of the read.</summary>
    public static int AppendBump(Transaction transaction)
    {
        transaction.Mutate(VswitchSchema.OpenVSwitch, Where.All, Mutation.Add(VswitchSchema.NextCfg, 1));
        transaction.Add(new SelectOperation(VswitchSchema.OpenVSwitch, Where.All, NextCfgColumn));
        return transaction.Operations.Count - 1;
    }

    /// <summary>The next_cfg the committed transaction set, or null when there is no Open_vSwitch row.</summary>
    public static long? Read(TransactionResult result, int readIndex) =>
        result[readIndex].Rows is [var row] ? ((OvsdbAtom)row.Get(VswitchSchema.NextCfg)).AsInteger() : null;

    /// <summary>
    /// RFC 7047 §5.2.6 with a real timeout: the server holds this until cur_cfg reaches <paramref name="sequence"/>
    /// (committed) or the timeout passes ("timed out"). One round trip, no monitor.
    /// </summary>
    public static Transaction WaitApplied(long sequence, TimeSpan timeout) => new Transaction(VswitchSchema.Database)
        .Add(new WaitOperation(VswitchSchema.OpenVSwitch,
            [new Condition(VswitchSchema.CurCfg, ">=", OvsdbAtom.FromInteger(sequence))],
            [VswitchSchema.Uuid], untilEqual: false, rows: [], timeoutMilliseconds: (long)timeout.TotalMilliseconds));
}
