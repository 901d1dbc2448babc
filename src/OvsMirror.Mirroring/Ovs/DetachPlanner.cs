using OvsMirror.Mirroring.Config;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Plans the undoing of attachments from their records (DEL, GC), as ONE transaction. Membership is
/// removed with unguarded "mutate" delete, which is atomic and idempotent. Mirror-wide state that other
/// attachments may still need (select_all, select_vlan, output_vlan) is recomputed from the records that
/// remain, guarded by "external_ids as read". For each owned mirror the transaction ends with a select
/// that says whether the mirror is now empty; <see cref="CleanupPlanner"/> then removes it, guarded.
/// </summary>
internal static class DetachPlanner
{
    /// <param name="detach">Which attachments leave.</param>
    /// <param name="candidate">
    /// A cheap pre-filter on the id alone: records it rejects are never parsed. A DEL names one attachment, so on a
    /// mirror with a thousand members it parses one record, not a thousand.
    /// </param>
    public static DetachPlan Plan(BridgeMirrorsSnapshot snapshot, string bridgeName, Func<AttachmentId, AttachmentRecord, bool> detach,
        Func<AttachmentId, bool>? candidate = null)
    {
        var leavingIds = new HashSet<AttachmentId>();
        var guards = new List<OvsdbOperation>();
        var writes = new List<OvsdbOperation>();
        var probes = new List<OvsdbOperation>();
        var probed = new List<MirrorSnapshot>();
        var byBridgeName = Where.Eq(VswitchSchema.Name, bridgeName);
        var floodVlansToDrop = new HashSet<int>();
        var locatorWrites = new List<OvsdbOperation>();
        foreach (var mirror in snapshot.Mirrors)
        {
            if (mirror.RecordValues is not { } values || mirror.ExternalIds is null)
            {
                continue;
            }

            var leaving = new List<KeyValuePair<AttachmentId, AttachmentRecord>>();
            foreach (var (id, value) in values)
            {
                if ((candidate is null || candidate(id)) && AttachmentRecord.TryParse(value) is { } record && detach(id, record))
                {
                    leaving.Add(KeyValuePair.Create(id, record));
                    leavingIds.Add(id);
                }
            }

            if (leaving.Count == 0)
            {
                continue;
            }

            // Their PortLocator entries go too, by key (none there, or the port gone: the mutate changes nothing).
            foreach (var (id, record) in leaving)
            {
                locatorWrites.Add(new MutateOperation(VswitchSchema.Port, Where.Uuid(record.PortUuid),
                    [Mutation.Delete(VswitchSchema.ExternalIds, OvsdbSet.Of(OvsdbAtom.FromString(PortLocator.Key(id, mirror.Name))))]));
            }

            bool Stays(AttachmentId id) => !leaving.Exists(l => l.Key == id);
            var byUuid = Where.Uuid(mirror.Uuid);
            var mutations = new List<Mutation>
            {
                Mutation.Delete(VswitchSchema.ExternalIds, OvsdbSet.Of(leaving.Select(r => OvsdbAtom.FromString(r.Key.Key)))),
            };
            // A port stays selected while another attachment still records it (its raw record names the uuid).
            var ports = leaving.Select(r => r.Value.PortUuid).Distinct()
                .Where(p => !values.Any(v => Stays(v.Key) && v.Value.Contains($";uuid={p:D};", StringComparison.Ordinal)))
                .Select(OvsdbAtom.FromUuid).ToArray();
            if (ports.Length > 0)
            {
                mutations.Add(Mutation.Delete(VswitchSchema.SelectSrcPort, OvsdbSet.Of(ports)));
                mutations.Add(Mutation.Delete(VswitchSchema.SelectDstPort, OvsdbSet.Of(ports)));
                mutations.Add(Mutation.Delete(VswitchSchema.OutputPort, OvsdbSet.Of(ports)));
            }

            writes.Add(new MutateOperation(VswitchSchema.Mirror, byUuid, mutations));

            var mirrorWide = leaving.Any(r => r.Value.SelectsAllTraffic || r.Value.Output == MirrorOutputKind.Vlan);
            if (mirror.Owned && mirrorWide)
            {
                // Recompute from the records that stay, and only if no attachment came or went meanwhile.
                var remaining = mirror.Records!.Where(r => Stays(r.Key)).Select(r => r.Value).ToList();
                guards.Add(Guards.Unchanged(VswitchSchema.Mirror, byUuid,
                    new OvsdbRow().Set(VswitchSchema.ExternalIds, mirror.ExternalIds)));
                var vlans = remaining.Where(r => (r.Selection & MirrorSelection.Vlan) != 0)
                    .SelectMany(r => r.Vlans).Distinct().Order().ToArray();
                var outputVlan = remaining.FirstOrDefault(r => r.Output == MirrorOutputKind.Vlan)?.OutputVlan;
                var update = new OvsdbRow()
                    .Set(VswitchSchema.SelectAll, remaining.Any(r => r.SelectsAllTraffic))
                    .Set(VswitchSchema.SelectVlan, OvsdbSet.Of(vlans.Select(v => OvsdbAtom.FromInteger(v))))
                    .Set(VswitchSchema.OutputVlan, outputVlan is { } ov ? OvsdbSet.Of(OvsdbAtom.FromInteger(ov)) : OvsdbSet.Empty);
                writes.Add(new UpdateOperation(VswitchSchema.Mirror, byUuid, update));
                if (mirror.OutputVlan is { } old && outputVlan is null)
                {
                    floodVlansToDrop.Add(old);
                }
            }

            if (mirror.Owned)
            {
                probes.Add(new SelectOperation(VswitchSchema.Mirror,
                    [.. byUuid, .. Where.Eq(VswitchSchema.ExternalIds, mirror.EmptyExternalIds)], [VswitchSchema.Uuid]));
                probed.Add(mirror);
            }
        }

        writes.AddRange(locatorWrites);
        // A flood VLAN goes only when no other mirror of the bridge still outputs to it.
        floodVlansToDrop.RemoveWhere(v => snapshot.Mirrors.Any(m => m.OutputVlan == v && !WillLoseOutputVlan(m, leavingIds)));
        if (floodVlansToDrop.Count > 0)
        {
            writes.Add(new MutateOperation(VswitchSchema.Bridge, byBridgeName,
                [Mutation.Delete(VswitchSchema.FloodVlans, OvsdbSet.Of(floodVlansToDrop.Select(v => OvsdbAtom.FromInteger(v))))]));
        }

        var txn = new Transaction(VswitchSchema.Database);
        foreach (var op in guards.Concat(writes).Concat(probes))
        {
            txn.Add(op);
        }

        return new DetachPlan(txn, guards.Count + writes.Count, probed);
    }

    private static bool WillLoseOutputVlan(MirrorSnapshot mirror, HashSet<AttachmentId> leaving) =>
        mirror.Records is { } records &&
        records.Any(r => leaving.Contains(r.Key) && r.Value.Output == MirrorOutputKind.Vlan) &&
        !records.Any(r => !leaving.Contains(r.Key) && r.Value.Output == MirrorOutputKind.Vlan);
}
