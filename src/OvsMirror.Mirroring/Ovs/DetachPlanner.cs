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
    public static DetachPlan Plan(BridgeMirrorsSnapshot snapshot, string bridgeName, Func<AttachmentId, AttachmentRecord, bool> detach)
    {
        var guards = new List<OvsdbOperation>();
        var writes = new List<OvsdbOperation>();
        var probes = new List<OvsdbOperation>();
        var probed = new List<MirrorSnapshot>();
        var byBridgeName = Where.Eq(VswitchSchema.Name, bridgeName);
        var floodVlansToDrop = new HashSet<int>();
        foreach (var mirror in snapshot.Mirrors)
        {
            if (mirror.Records is null || mirror.ExternalIds is null)
            {
                continue;
            }

            var leaving = mirror.Records.Where(r => detach(r.Key, r.Value)).ToList();
            if (leaving.Count == 0)
            {
                continue;
            }

            var remaining = mirror.Records.Where(r => !detach(r.Key, r.Value)).Select(r => r.Value).ToList();
            var byUuid = Where.Uuid(mirror.Uuid);
            var mutations = new List<Mutation>
            {
                Mutation.Delete(VswitchSchema.ExternalIds, OvsdbSet.Of(leaving.Select(r => OvsdbAtom.FromString(r.Key.Key)))),
            };
            var ports = leaving.Select(r => r.Value.PortUuid).Distinct()
                .Where(p => !remaining.Any(r => r.PortUuid == p)).Select(OvsdbAtom.FromUuid).ToArray();
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

        // A flood VLAN goes only when no other mirror of the bridge still outputs to it.
        floodVlansToDrop.RemoveWhere(v => snapshot.Mirrors.Any(m => m.OutputVlan == v && !WillLoseOutputVlan(m, detach)));
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

    private static bool WillLoseOutputVlan(MirrorSnapshot mirror, Func<AttachmentId, AttachmentRecord, bool> detach) =>
        mirror.Records is { } records &&
        records.Any(r => detach(r.Key, r.Value) && r.Value.Output == MirrorOutputKind.Vlan) &&
        !records.Any(r => !detach(r.Key, r.Value) && r.Value.Output == MirrorOutputKind.Vlan);
}
