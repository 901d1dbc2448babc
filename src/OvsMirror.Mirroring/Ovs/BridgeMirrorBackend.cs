using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Mirrors on an Open_vSwitch bridge: runs the planners' guarded transactions on one connection,
/// re-reading and re-planning when a guard reports that the state moved, until <paramref name="deadline"/>
/// (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).
/// </summary>
internal sealed class BridgeMirrorBackend(OvsdbConnection connection, string bridge, long deadline)
{
    private static readonly IReadOnlyDictionary<int, CniException> NoTerminalGuards = new Dictionary<int, CniException>();

    /// <summary>Attaches the port to every requested mirror in one transaction. Returns the attempts it took.</summary>
    public int Attach(string network, AttachmentId id, string portName, IReadOnlyList<MirrorRequest> requests)
    {
        var names = requests.Select(r => r.Name).ToArray();
        string?[]? remotes = requests.Any(r => r.Remote is not null) ? [.. requests.Select(r => r.Remote?.Canonical())] : null;
        return OptimisticRetry.Run($"attach {id} to bridge {bridge}", () =>
        {
            var snapshot = OvsStateReader.ReadForAttach(connection, bridge, portName, names, remotes);
            var plan = AttachPlanner.Plan(snapshot, bridge, network, id, requests);
            return Committed(connection.Transact(plan.Transaction), plan.TerminalGuards);
        }, deadline);
    }

    /// <summary>
    /// Undoes the attachments <paramref name="which"/> selects, then removes the owned mirrors that were
    /// left empty. Idempotent: nothing recorded (or no bridge) is success. Returns whether OVSDB changed.
    /// </summary>
    public bool Detach(Func<AttachmentId, AttachmentRecord, bool> which)
    {
        var changed = false;
        IReadOnlyList<MirrorSnapshot> emptied = [];
        OptimisticRetry.Run($"detach from bridge {bridge}", () =>
        {
            var plan = DetachPlanner.Plan(OvsStateReader.ReadBridgeMirrors(connection, bridge), bridge, which);
            if (plan.IsEmpty)
            {
                return true;
            }

            var result = connection.Transact(plan.Transaction);
            if (!Committed(result, NoTerminalGuards))
            {
                return false;
            }

            changed = true;
            emptied = [.. plan.EmptiedMirrors(result)];
            return true;
        }, deadline);

        foreach (var mirror in emptied)
        {
            RemoveIfEmpty(mirror);
        }

        return changed;
    }

    /// <summary>
    /// Removes an owned mirror (and its tunnel port, for a remote mirror) if it still has no attachment; false when
    /// someone joined or it is already gone.
    /// </summary>
    public bool RemoveIfEmpty(MirrorSnapshot mirror) => Committed(connection.Transact(
        CleanupPlanner.Plan(bridge, mirror.Uuid, mirror.EmptyExternalIds, mirror.Remote is null ? null : mirror.OutputPort)), NoTerminalGuards);

    public BridgeMirrorsSnapshot Read() => OvsStateReader.ReadBridgeMirrors(connection, bridge);

    public PortSnapshot? ReadPort(string portName)
    {
        var result = connection.Transact(new Transaction(VswitchSchema.Database)
            .Add(new SelectOperation(VswitchSchema.Port, Where.Eq(VswitchSchema.Name, portName), PortSnapshot.Columns)))
            .ThrowIfAnyFailed();
        return result[0].Rows is [var row] ? PortSnapshot.FromRow(row, portName) : null;
    }

    /// <summary>
    /// True when the transaction committed; false when a guard failed because the state moved (retry);
    /// a terminal guard's failure is thrown as its CNI error.
    /// </summary>
    private static bool Committed(TransactionResult result, IReadOnlyDictionary<int, CniException> terminalGuards)
    {
        if (result.FirstFailure is not { } failure)
        {
            return true;
        }

        if (failure.IsWaitTimeout)
        {
            return terminalGuards.TryGetValue(failure.OperationIndex, out var terminal) ? throw terminal : false;
        }

        throw new CniException(CniErrorCode.IoFailure, $"OVSDB refused the change: {failure.Message}");
    }
}
