using OvsMirror.Mirroring.Ovs;
using static OvsMirror.Mirroring.Tests.Planner.Snapshots;

namespace OvsMirror.Mirroring.Tests.Planner;

public sealed class CleanupPlannerTests
{
    [Fact]
    public void EmptyOwnedMirror_IsUnreferenced_OnlyIfItsExternalIdsAreStillExactlyTheOwnerMarker()
    {
        var mirror = Uuid(101);

        var ops = PlannerJson.Ops(CleanupPlanner.Plan(Bridge, mirror));

        ops.Kinds().Should().Equal("wait", "mutate");
        ops[0].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Mirror",
             "where":[["_uuid","==",["uuid","{{mirror}}"]],["external_ids","==",["map",[["ovs-mirror/owner","ovs-mirror"]]]]],
             "columns":["_uuid"],"until":"!=","rows":[]}
            """);
        // Mirror is not a root table: dropping the reference deletes the row.
        ops[1].ShouldBeJson($$"""
            {"op":"mutate","table":"Bridge","where":[["name","==","br1"]],"mutations":[["mirrors","delete",["uuid","{{mirror}}"]]]}
            """);
    }
}
