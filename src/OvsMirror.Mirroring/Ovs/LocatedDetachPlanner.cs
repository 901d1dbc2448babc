using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Plans a DEL from the attachment's <see cref="PortLocator"/> entries alone, as ONE transaction that reads nothing that
/// grows with a mirror's members. Per entry: a "mutate" of the mirror named by (name, external_ids "includes" {key:
/// record}) that deletes the record by key (RFC 7047 §5.1) and, unless another attachment of the same port is on that mirror
/// too, the port from its selections and output; its "count" (§5.2.4) says whether the record was there as located. Then
/// the port's entries go by key, and per entry a probe says whether the mirror is now an owned mirror with no attachment.
/// The guards: the port's external_ids as read, so the "another attachment of this port" decision still holds; and per
/// mirror, that it has no tunnel port (it is not remote), else the plan does not apply.
/// </summary>
internal static class LocatedDetachPlanner
{
    private static readonly string[] UuidOnly = [VswitchSchema.Uuid];

    /// <returns>The plan; null when the entries cannot decide alone (none for this attachment; one that needs the
    /// mirror's other records; one that is not a record of this very port, which this version reads): the caller then
    /// reads the bridge's mirrors.</returns>
    public static LocatedDetachPlan? Plan(LocatedPort port, AttachmentId id, string bridgeName)
    {
        ArgumentNullException.ThrowIfNull(port);
        var mine = port.Entries.Where(e => e.Id == id).ToList();
        var records = mine.Select(e => e.NeedsFullRead ? null : AttachmentRecord.TryParse(e.Value)).ToList();
        if (mine.Count == 0 || records.Exists(r => r is null || r.PortUuid != port.Uuid))
        {
            return null;
        }

        var byPort = Where.Uuid(port.Uuid);
        var portAtom = OvsdbSet.Of(OvsdbAtom.FromUuid(port.Uuid));
        var txn = new Transaction(VswitchSchema.Database)
            .Add(Guards.Unchanged(VswitchSchema.Port, byPort, new OvsdbRow().Set(VswitchSchema.ExternalIds, port.ExternalIds)));
        // A mirror this attachment joined as a plain producer or consumer may have become remote since (a remote producer
        // joined it): its emptiness then depends on its remote definition, which this plan does not read. So the plan
        // holds only while no tunnel port of those mirrors exists (TunnelPort.Name is fixed by bridge and mirror name);
        // if one does, the caller reads the bridge's mirrors instead.
        var remoteGuards = new List<int>();
        foreach (var entry in mine)
        {
            remoteGuards.Add(txn.Operations.Count);
            txn.Add(Guards.Absent(VswitchSchema.Port, Where.Eq(VswitchSchema.Name, TunnelPort.Name(bridgeName, entry.MirrorName))));
        }

        var firstMutate = txn.Operations.Count;
        var key = OvsdbSet.Of(OvsdbAtom.FromString(id.Key));
        foreach (var entry in mine)
        {
            var located = Located(entry, id);
            var mutations = new List<Mutation> { Mutation.Delete(VswitchSchema.ExternalIds, key) };
            // A port stays selected while another attachment of it is still on this mirror.
            if (!port.Entries.Any(e => e.Id != id && e.MirrorName == entry.MirrorName))
            {
                mutations.Add(Mutation.Delete(VswitchSchema.SelectSrcPort, portAtom));
                mutations.Add(Mutation.Delete(VswitchSchema.SelectDstPort, portAtom));
                mutations.Add(Mutation.Delete(VswitchSchema.OutputPort, portAtom));
            }

            txn.Add(new MutateOperation(VswitchSchema.Mirror, located, mutations));
        }

        txn.Add(new MutateOperation(VswitchSchema.Port, byPort,
            [Mutation.Delete(VswitchSchema.ExternalIds, OvsdbSet.Of(mine.Select(e => OvsdbAtom.FromString(e.Key))))]));
        var firstProbe = txn.Operations.Count;
        foreach (var entry in mine)
        {
            // Every mirror of that name left with exactly the owner marker; the caller keeps those of its bridge.
            txn.Add(new SelectOperation(VswitchSchema.Mirror,
                [.. Where.Eq(VswitchSchema.Name, entry.MirrorName), .. Where.Eq(VswitchSchema.ExternalIds, OwnerMarker.EmptyOwnedExternalIds)],
                UuidOnly));
        }

        return new LocatedDetachPlan(txn, mine, [.. records.Select(r => r!)], firstMutate, firstProbe, remoteGuards);
    }

    /// <summary>The mirror named in the entry that holds exactly the located record. The record names the port's uuid, so
    /// only a mirror of the port's own bridge can match.</summary>
    private static Condition[] Located(PortLocatorEntry entry, AttachmentId id) =>
    [
        .. Where.Eq(VswitchSchema.Name, entry.MirrorName),
        .. Where.Includes(VswitchSchema.ExternalIds, OvsdbMap.OfStrings([KeyValuePair.Create(id.Key, entry.Value)])),
    ];
}
