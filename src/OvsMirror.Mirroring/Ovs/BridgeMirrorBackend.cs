using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Mirrors on an Open_vSwitch bridge: runs the planners' guarded transactions on one connection,
/// re-reading and re-planning when a guard reports that the state moved, until <paramref name="deadline"/>
/// (a <see cref="System.Diagnostics.Stopwatch"/> timestamp). When <paramref name="revalidator"/> is enabled,
/// every change also bumps next_cfg (<see cref="ConfigSequence"/>) so <see cref="RevalidateFlows"/> can wait
/// for ovs-vswitchd to apply it before purging flows.
/// </summary>
/// <param name="log">stderr, for warnings about best-effort steps after a commit; null discards them.</param>
internal sealed class BridgeMirrorBackend(OvsdbConnection connection, string bridge, long deadline, FlowRevalidator revalidator,
    TextWriter? log = null)
{
    private readonly bool _trackApplied = revalidator.Enabled;

    private static readonly IReadOnlyDictionary<int, CniException> NoTerminalGuards = new Dictionary<int, CniException>();

    /// <summary>The highest next_cfg a committed change of this backend set; null when none (or not tracked).</summary>
    public long? AppliedSequence { get; private set; }

    /// <summary>Attaches the port to every requested mirror in one transaction. Returns the attempts it took.</summary>
    public int Attach(string network, AttachmentId id, string portName, IReadOnlyList<MirrorRequest> requests)
    {
        var names = requests.Select(r => r.Name).ToArray();
        string?[]? remotes = requests.Any(r => r.Remote is not null) ? [.. requests.Select(r => r.Remote?.Canonical())] : null;
        return OptimisticRetry.Run($"attach {id} to bridge {bridge}", () =>
        {
            var snapshot = OvsStateReader.ReadForAttach(connection, bridge, portName, names, remotes);
            var plan = AttachPlanner.Plan(snapshot, bridge, network, id, requests);
            return Commit(plan.Transaction, plan.TerminalGuards) is not null;
        }, deadline);
    }

    /// <summary>
    /// Undoes the attachments <paramref name="which"/> selects, then removes the owned mirrors that were
    /// left empty. Idempotent: nothing recorded (or no bridge) is success. Returns whether OVSDB changed.
    /// </summary>
    /// <param name="which">Which attachments leave.</param>
    /// <param name="candidate">Optional pre-filter by id, so records it rejects are never parsed (DEL names one).</param>
    public bool Detach(Func<AttachmentId, AttachmentRecord, bool> which, Func<AttachmentId, bool>? candidate = null)
    {
        var changed = false;
        IReadOnlyList<MirrorSnapshot> emptied = [];
        OptimisticRetry.Run($"detach from bridge {bridge}", () =>
        {
            var plan = DetachPlanner.Plan(OvsStateReader.ReadBridgeMirrors(connection, bridge), bridge, which, candidate);
            if (plan.IsEmpty)
            {
                return true;
            }

            var result = Commit(plan.Transaction, NoTerminalGuards);
            if (result is null)
            {
                return false;
            }

            changed = true;
            emptied = [.. plan.EmptiedMirrors(result)];
            return true;
        }, deadline);

        foreach (var mirror in emptied)
        {
            try
            {
                RemoveIfEmpty(mirror);
            }
            catch (Exception e) when (e is OvsdbTimeoutException or OvsdbConnectionException or CniException)
            {
                // The detach has committed: the call succeeds (success iff committed). The owned mirror left with no
                // attachment is what GC removes ("owned mirrors left with no attachment").
                log?.WriteLine($"ovs-mirror: warning: mirror {mirror.Name} is left with no attachment; GC will remove it: {e.Message}");
            }
        }

        return changed;
    }

    /// <summary>
    /// Removes an owned mirror (and its tunnel port, for a remote mirror) if it still has no attachment; false when
    /// someone joined or it is already gone.
    /// </summary>
    public bool RemoveIfEmpty(MirrorSnapshot mirror) => Commit(
        CleanupPlanner.Plan(bridge, mirror.Uuid, mirror.EmptyExternalIds, mirror.Remote is null ? null : mirror.OutputPort), NoTerminalGuards) is not null;

    /// <summary>Makes the changes committed so far apply to established flows (see <see cref="FlowRevalidator"/>).</summary>
    public void RevalidateFlows() => revalidator.Revalidate(connection, AppliedSequence, deadline);

    public BridgeSnapshot? ReadBridge() => OvsStateReader.ReadBridge(connection, bridge);

    public BridgeMirrorsSnapshot Read(bool withPortSets = false) => OvsStateReader.ReadBridgeMirrors(connection, bridge, withPortSets);

    public PortSnapshot? ReadPort(string portName)
    {
        var result = connection.Transact(new Transaction(VswitchSchema.Database)
            .Add(new SelectOperation(VswitchSchema.Port, Where.Eq(VswitchSchema.Name, portName), PortSnapshot.Columns)))
            .ThrowIfAnyFailed();
        return result[0].Rows is [var row] ? PortSnapshot.FromRow(row, portName) : null;
    }

    /// <summary>
    /// Runs a planned change (plus the next_cfg bump when tracked). Returns the result when it committed;
    /// null when a guard failed because the state moved (retry); a terminal guard's failure is thrown.
    /// </summary>
    private TransactionResult? Commit(Transaction transaction, IReadOnlyDictionary<int, CniException> terminalGuards)
    {
        var bumpRead = _trackApplied ? ConfigSequence.AppendBump(transaction) : -1;
        var result = connection.Transact(transaction);
        if (!Committed(result, terminalGuards))
        {
            return null;
        }

        if (bumpRead >= 0 && ConfigSequence.Read(result, bumpRead) is { } sequence)
        {
            AppliedSequence = Math.Max(AppliedSequence ?? 0, sequence);
        }

        return result;
    }

    /// <summary>True when committed; false when a guard failed because the state moved; a terminal guard throws.</summary>
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
