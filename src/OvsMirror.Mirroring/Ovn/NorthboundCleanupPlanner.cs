using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>
/// Deletes an owned NB mirror that has no attachment record left and that no Logical_Switch_Port refers to (someone may
/// have attached one with ovn-nbctl). Mirror is a root table in OVN Northbound (ovn-nb(5)), so it is deleted outright.
/// If a guard fails, it is in use or already gone: both are fine. Pure.
/// </summary>
internal static class NorthboundCleanupPlanner
{
    public static Transaction Plan(Guid mirror) => new Transaction(NorthboundSchema.Database)
        .Add(Guards.Exists(NorthboundSchema.Mirror,
            [.. Where.Uuid(mirror), .. Where.Eq(NorthboundSchema.ExternalIds, OwnerMarker.EmptyOwnedExternalIds)]))
        .Add(Guards.Absent(NorthboundSchema.LogicalSwitchPort, Where.Includes(NorthboundSchema.MirrorRules, OvsdbAtom.FromUuid(mirror))))
        .Delete(NorthboundSchema.Mirror, Where.Uuid(mirror));
}
