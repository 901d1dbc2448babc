using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>
/// Plans the undoing of attachments from their records (DEL, GC) as ONE transaction. Each touched mirror is guarded
/// by "external_ids as read", so the records that stay are the truth at commit; an LSP leaves mirror_rules only when
/// no attachment that stays still names it. Pure.
/// </summary>
internal static class NorthboundDetachPlanner
{
    public static NbDetachPlan Plan(IReadOnlyList<NbMirrorSnapshot> mirrors, AttachmentSelector selector)
    {
        ArgumentNullException.ThrowIfNull(mirrors);
        ArgumentNullException.ThrowIfNull(selector);
        var guards = new List<OvsdbOperation>();
        var writes = new List<OvsdbOperation>();
        var emptied = new List<Guid>();
        var detached = new List<DetachedAttachment>();
        foreach (var mirror in mirrors)
        {
            if (mirror.Records is not { } records)
            {
                continue;
            }

            bool Leaves(KeyValuePair<AttachmentId, OvnAttachmentRecord> r) =>
                (selector.Candidate is null || selector.Candidate(r.Key)) && selector.Matches(r.Key, r.Value);
            var leaving = records.Where(Leaves).ToList();
            if (leaving.Count == 0)
            {
                continue;
            }

            detached.AddRange(leaving.Select(r => new DetachedAttachment(mirror.Name, r.Key, r.Value)));
            var remaining = records.Where(r => !Leaves(r)).Select(r => r.Value.LogicalSwitchPort).ToHashSet(StringComparer.Ordinal);
            var byUuid = Where.Uuid(mirror.Uuid);

            // No attachment came or went on this mirror since the read: "remaining" is the truth at commit.
            guards.Add(Guards.Unchanged(NorthboundSchema.Mirror, byUuid, new OvsdbRow().Set(NorthboundSchema.ExternalIds, mirror.ExternalIds!)));
            writes.Add(new MutateOperation(NorthboundSchema.Mirror, byUuid,
                [Mutation.Delete(NorthboundSchema.ExternalIds, OvsdbSet.Of(leaving.Select(r => OvsdbAtom.FromString(r.Key.Key))))]));
            foreach (var lsp in leaving.Select(r => r.Value.LogicalSwitchPort).Distinct(StringComparer.Ordinal).Where(l => !remaining.Contains(l)))
            {
                // An LSP already gone matches no row: nothing to undo there.
                writes.Add(new MutateOperation(NorthboundSchema.LogicalSwitchPort, Where.Eq(NorthboundSchema.Name, lsp),
                    [Mutation.Delete(NorthboundSchema.MirrorRules, OvsdbAtom.FromUuid(mirror.Uuid))]));
            }

            if (mirror.Owned && remaining.Count == 0)
            {
                emptied.Add(mirror.Uuid);
            }
        }

        if (writes.Count == 0)
        {
            return new NbDetachPlan(null, [], []);
        }

        var txn = new Transaction(NorthboundSchema.Database);
        foreach (var op in guards.Concat(writes))
        {
            txn.Add(op);
        }

        return new NbDetachPlan(txn, emptied, detached);
    }
}
