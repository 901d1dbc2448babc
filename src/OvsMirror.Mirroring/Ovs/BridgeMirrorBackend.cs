using OvsMirror.Cni;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Mirrors on an Open_vSwitch bridge: runs the planners' guarded transactions on one connection,
/// re-reading and re-planning when a guard reports that the state moved, until <paramref name="deadline"/>
/// (a <see cref="System.Diagnostics.Stopwatch"/> timestamp). When <paramref name="revalidator"/> is enabled,
/// every change also bumps next_cfg (<see cref="ConfigSequence"/>) so <see cref="ApplyToFlows"/> can wait
/// for ovs-vswitchd to apply it before purging flows.
/// </summary>
/// <param name="log">stderr, for warnings about best-effort steps after a commit; null discards them.</param>
internal sealed class BridgeMirrorBackend(OvsdbConnection connection, PluginConfig config, long deadline, FlowRevalidator revalidator,
    TextWriter? log = null)
    : IMirrorBackend
{
    private const string Database = "OVSDB";

    private readonly bool _trackApplied = revalidator.Enabled;

    private readonly string _bridge = config.Bridge;

    /// <summary>The highest next_cfg a committed change of this backend set; null when none (or not tracked).</summary>
    public long? AppliedSequence { get; private set; }

    /// <summary>Attaches the port to every requested mirror in one transaction. Returns the attempts it took.</summary>
    public int Attach(AttachmentId id, string network, PodIdentity? pod, string target)
    {
        var requests = config.Mirrors;
        var names = requests.Select(r => r.Name).ToArray();
        string?[]? remotes = requests.Any(r => r.Remote is not null) ? [.. requests.Select(r => r.Remote?.Canonical())] : null;
        var probes = new AttachProbes[requests.Count];
        for (var i = 0; i < probes.Length; i++)
        {
            probes[i] = requests[i].Probes;
        }

        return OptimisticRetry.Run($"attach {id} to bridge {_bridge}", () =>
        {
            var snapshot = OvsStateReader.ReadForAttach(connection, _bridge, target, names, remotes, probes);
            var plan = AttachPlanner.Plan(snapshot, _bridge, network, id, requests, pod);
            return Commit(plan.Transaction, plan.TerminalGuards) is not null;
        }, deadline);
    }

    /// <inheritdoc />
    public DetachOutcome Detach(AttachmentSelector selector, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (dryRun)
        {
            return new DetachOutcome(false, Select(Read(), selector));
        }

        // DEL with prevResult: from the port's locator entries, when they decide alone; else (and for GC) the full read.
        BridgeSnapshot? bridgeRead = null;
        IReadOnlyList<DetachedAttachment> detached = [];
        IReadOnlyList<EmptyMirror> emptied = [];
        var located = selector is { Single: { } id, TargetHint: { } hint } && TryDetachLocated(id, hint, out bridgeRead, out detached, out emptied);
        var changed = detached.Count > 0;
        if (!located)
        {
            // What the located commit emptied goes first: the full read below may end past the deadline.
            RemoveEmptied(emptied);
            emptied = [];
            OptimisticRetry.Run($"detach from bridge {_bridge}", () =>
            {
                var (effective, absent) = AbsentTargetGuard.Narrow(connection, VswitchSchema.Database, VswitchSchema.Port, VswitchSchema.Name, selector);
                // The located attempt's bridge read serves the first try only: a retry must see the state anew.
                var snapshot = OvsStateReader.ReadMirrorsOf(connection, bridgeRead ?? OvsStateReader.ReadBridge(connection, _bridge));
                bridgeRead = null;
                var plan = DetachPlanner.Plan(snapshot, _bridge, effective.Matches, effective.Candidate);
                if (plan.IsEmpty)
                {
                    return true;
                }

                AbsentTargetGuard.Append(plan.Transaction, VswitchSchema.Port, VswitchSchema.Name, absent);
                var result = Commit(plan.Transaction);
                if (result is null)
                {
                    return false;
                }

                changed = true;
                detached = [.. detached, .. Select(snapshot, effective)];
                emptied = [.. emptied, .. plan.EmptiedMirrors(result).Select(ToEmptyMirror)];
                return true;
            }, deadline);
        }

        RemoveEmptied(emptied);
        return new DetachOutcome(changed, detached);
    }

    /// <summary>Best effort after a committed detach: the owned mirrors it left with no attachment go.</summary>
    private void RemoveEmptied(IReadOnlyList<EmptyMirror> emptied)
    {
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
    }

    /// <summary>
    /// DEL by the port's <see cref="PortLocator"/> entries: one read of the bridge and the port, one guarded commit, nothing
    /// read that grows with the mirrors' members. False when the entries cannot decide (none for this attachment, one that
    /// needs the mirror's records, or a record not found as located): the caller then reads the bridge's mirrors, which also
    /// finds whatever this attempt did not. <paramref name="bridge"/> is the bridge as read, for that read to start from.
    /// </summary>
    private bool TryDetachLocated(AttachmentId id, string portName, out BridgeSnapshot? bridge, out IReadOnlyList<DetachedAttachment> detached,
        out IReadOnlyList<EmptyMirror> emptied)
    {
        BridgeSnapshot? bridgeRead = null;
        IReadOnlyList<DetachedAttachment> removed = [];
        IReadOnlyList<EmptyMirror> left = [];
        var decided = false;
        OptimisticRetry.Run($"detach {id} from bridge {_bridge}", () =>
        {
            var (b, port) = OvsStateReader.ReadForDetach(connection, _bridge, portName);
            bridgeRead = b;
            if (b is null || port is null || LocatedDetachPlanner.Plan(port, id, _bridge) is not { } plan)
            {
                return true;
            }

            TransactionResult? result;
            try
            {
                result = Commit(plan.Transaction, plan.TerminalGuards);
            }
            catch (CniException e) when (ReferenceEquals(e, LocatedDetachPlan.RemoteMirror))
            {
                return true; // nothing committed: the full read decides
            }

            if (result is null)
            {
                return false;
            }

            removed = [.. plan.Removed(result)];
            left = [.. plan.EmptiedMirrors(result, b)];
            decided = plan.AllFound(result);
            return true;
        }, deadline);

        // A commit changed the bridge since that read: the fallback reads it again.
        bridge = removed.Count > 0 ? null : bridgeRead;
        detached = removed;
        emptied = left;
        return decided;
    }

    /// <inheritdoc />
    public IReadOnlyList<EmptyMirror> FindEmptyOwnedMirrors() =>
    [
        .. Read().Mirrors
            .Where(m => m.Owned && m.Records is { Count: 0 } && m.ExternalIds?.Count == m.EmptyExternalIds.Count)
            .Select(ToEmptyMirror),
    ];

    /// <summary>
    /// Removes an owned mirror (and its tunnel port, for a remote mirror) if it still has no attachment; false when
    /// someone joined or it is already gone.
    /// </summary>
    public bool RemoveIfEmpty(EmptyMirror mirror)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        return Commit(CleanupPlanner.Plan(_bridge, mirror.Uuid, mirror.EmptyExternalIds, mirror.TunnelPort)) is not null;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Diff(AttachmentId id, string network, string target)
    {
        var snapshot = Read(withPortSets: true);
        var port = config.Mirrors.Count == 0 ? null : ReadPort(target);
        return AttachmentDiff.Find(snapshot, _bridge, port, target, network, id, config.Mirrors);
    }

    /// <inheritdoc />
    public void Probe()
    {
        if (ReadBridge() is null)
        {
            throw new CniException(CniErrorCode.PluginNotAvailable, $"bridge {_bridge} does not exist in OVSDB at {config.Endpoint}");
        }
    }

    /// <inheritdoc />
    public MirrorInventory Inventory() => BridgeInventoryReader.Read(connection, _bridge);

    /// <inheritdoc />
    public bool RemoveRecord(UnparseableRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Commit(new Transaction(VswitchSchema.Database).Add(new MutateOperation(VswitchSchema.Mirror, Where.Uuid(record.MirrorUuid),
            [Mutation.Delete(VswitchSchema.ExternalIds, OvsdbMap.OfStrings([KeyValuePair.Create(record.Key, record.Value)]))]))) is not null;
    }

    /// <summary>Makes the changes committed so far apply to established flows (see <see cref="FlowRevalidator"/>).</summary>
    public void ApplyToFlows() => revalidator.Revalidate(connection, AppliedSequence, deadline);

    public BridgeSnapshot? ReadBridge() => OvsStateReader.ReadBridge(connection, _bridge);

    public BridgeMirrorsSnapshot Read(bool withPortSets = false) => OvsStateReader.ReadBridgeMirrors(connection, _bridge, withPortSets);

    public PortSnapshot? ReadPort(string portName)
    {
        var result = connection.Transact(new Transaction(VswitchSchema.Database)
            .Add(new SelectOperation(VswitchSchema.Port, Where.Eq(VswitchSchema.Name, portName), PortSnapshot.Columns)))
            .ThrowIfAnyFailed();
        return result[0].Rows is [var row] ? PortSnapshot.FromRow(row, portName) : null;
    }

    private static EmptyMirror ToEmptyMirror(MirrorSnapshot mirror) =>
        new(mirror.Name, mirror.Uuid, mirror.EmptyExternalIds, mirror.Remote is null ? null : mirror.OutputPort);

    /// <summary>The attachments the selector picks, as read (what a detach removes, or a dry run reports).</summary>
    private static List<DetachedAttachment> Select(BridgeMirrorsSnapshot snapshot, AttachmentSelector selector)
    {
        var picked = new List<DetachedAttachment>();
        foreach (var mirror in snapshot.Mirrors)
        {
            foreach (var (id, value) in mirror.RecordValues ?? new Dictionary<AttachmentId, string>())
            {
                if ((selector.Candidate is null || selector.Candidate(id)) && AttachmentRecord.TryParse(value) is { } record
                    && selector.Matches(id, record))
                {
                    picked.Add(new DetachedAttachment(mirror.Name, id, record));
                }
            }
        }

        return picked;
    }

    /// <summary>
    /// Runs a planned change (plus the next_cfg bump when tracked). Returns the result when it committed;
    /// null when a guard failed because the state moved (retry); a terminal guard's failure is thrown.
    /// </summary>
    private TransactionResult? Commit(Transaction transaction, IReadOnlyDictionary<int, CniException>? terminalGuards = null)
    {
        var bumpRead = _trackApplied ? ConfigSequence.AppendBump(transaction) : -1;
        var result = connection.Transact(transaction);
        if (!GuardedCommit.Committed(result, Database, terminalGuards))
        {
            return null;
        }

        if (bumpRead >= 0 && ConfigSequence.Read(result, bumpRead) is { } sequence)
        {
            AppliedSequence = Math.Max(AppliedSequence ?? 0, sequence);
        }

        return result;
    }
}
