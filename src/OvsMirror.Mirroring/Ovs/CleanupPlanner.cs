using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Removes an owned mirror that has no attachment left. Guarded: it still exists with exactly the owner
/// marker in external_ids (no one joined meanwhile). Removing it from Bridge.mirrors deletes the row,
/// since Mirror is not a root table (DESIGN §4). If the guard fails, someone joined or another caller
/// already removed it, and both are fine.
/// </summary>
internal static class CleanupPlanner
{
    public static Transaction Plan(string bridgeName, Guid mirror) => Plan(bridgeName, mirror, OwnerMarker.EmptyOwnedExternalIds, null);

    /// <param name="emptyExternalIds">external_ids of the mirror with no attachment (the owner marker, plus a remote's definition).</param>
    /// <param name="tunnelPort">A remote mirror's tunnel Port: removed from the bridge with the mirror (which deletes it, Port is not a root table).</param>
    public static Transaction Plan(string bridgeName, Guid mirror, OvsdbMap emptyExternalIds, Guid? tunnelPort)
    {
        var txn = new Transaction(VswitchSchema.Database)
            .Add(Guards.Exists(VswitchSchema.Mirror,
                [.. Where.Uuid(mirror), .. Where.Eq(VswitchSchema.ExternalIds, emptyExternalIds)]));
        var byBridge = Where.Eq(VswitchSchema.Name, bridgeName);
        if (tunnelPort is { } port)
        {
            // Only the tunnel this mirror still outputs to, and only if we made it.
            txn.Add(Guards.Exists(VswitchSchema.Mirror, [.. Where.Uuid(mirror), .. Where.Eq(VswitchSchema.OutputPort, OvsdbAtom.FromUuid(port))]));
            txn.Add(Guards.Exists(VswitchSchema.Port, [.. Where.Uuid(port), .. Where.Eq(VswitchSchema.ExternalIds, OwnerMarker.EmptyOwnedExternalIds)]));
            return txn.Mutate(VswitchSchema.Bridge, byBridge,
                Mutation.Delete(VswitchSchema.Mirrors, OvsdbAtom.FromUuid(mirror)),
                Mutation.Delete(VswitchSchema.Ports, OvsdbAtom.FromUuid(port)));
        }

        return txn.Mutate(VswitchSchema.Bridge, byBridge, Mutation.Delete(VswitchSchema.Mirrors, OvsdbAtom.FromUuid(mirror)));
    }
}
