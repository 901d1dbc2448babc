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
    public static Transaction Plan(string bridgeName, Guid mirror) => new Transaction(VswitchSchema.Database)
        .Add(Guards.Exists(VswitchSchema.Mirror,
            [.. Where.Uuid(mirror), .. Where.Eq(VswitchSchema.ExternalIds, OwnerMarker.EmptyOwnedExternalIds)]))
        .Mutate(VswitchSchema.Bridge, Where.Eq(VswitchSchema.Name, bridgeName),
            Mutation.Delete(VswitchSchema.Mirrors, OvsdbAtom.FromUuid(mirror)));
}
