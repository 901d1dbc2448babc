using OvsMirror.Cni;
using OvsMirror.Mirroring.Ovn;
using OvsMirror.Mirroring.Tests.Planner;
using OvsMirror.Ovsdb;
using static OvsMirror.Mirroring.Tests.Planner.Snapshots;

namespace OvsMirror.Mirroring.Tests.Northbound;

/// <summary>The exact transactions the OVN Northbound planners build (ovn-nb(5), OVN 23.03; RFC 7047 §5.2).</summary>
public sealed class NorthboundPlannerTests
{
    private const string Db = "OVN_Northbound";
    private static readonly Guid M1 = Uuid(101);
    private static readonly AttachmentId A1 = new("pod1", "net1");
    private static readonly AttachmentId A2 = new("pod2", "net1");
    private static readonly OvnMirrorRequest Gre = new("mirror1", "gre", 99, "from-lport", "172.19.0.21");

    private static NbMirrorSnapshot Mirror(Guid uuid, OvnMirrorRequest definition, bool owned, params (AttachmentId Id, string Value)[] records)
    {
        var ids = new List<KeyValuePair<string, string>>();
        if (owned)
        {
            ids.Add(KeyValuePair.Create(OwnerMarker.Key, OwnerMarker.Value));
        }

        ids.AddRange(records.Select(r => KeyValuePair.Create(r.Id.Key, r.Value)));
        return new NbMirrorSnapshot(NbMirrorSnapshot.Definition(definition)
            .Set("_uuid", OvsdbAtom.FromUuid(uuid))
            .Set("external_ids", OvsdbMap.OfStrings(ids)));
    }

    [Fact]
    public void Attach_ANewMirror_IsOneInsertOwnedAndRecorded_PlusTheLspReference_GuardedByTheLsp()
    {
        var record = new OvnAttachmentRecord("attachnet", "pod1.default", new PodIdentity("default", "pod1", "u-1"));

        var plan = NorthboundAttachPlanner.Plan(new NbAttachSnapshot(true, [null]), A1, "pod1.default", record, [Gre]);

        plan.CreatesMirrors.Should().BeTrue();
        plan.TerminalGuards.Keys.Should().Equal(0);
        var ops = PlannerJson.Ops(plan.Transaction, Db);
        ops.Kinds().Should().Equal("wait", "insert", "mutate");
        ops[0].ShouldBeJson("""
            {"op":"wait","timeout":0,"table":"Logical_Switch_Port","where":[["name","==","pod1.default"]],
             "columns":["_uuid"],"until":"!=","rows":[]}
            """);
        ops[1].ShouldBeJson("""
            {"op":"insert","table":"Mirror","uuid-name":"m0","row":{"name":"mirror1","type":"gre","index":99,
             "filter":"from-lport","sink":"172.19.0.21","external_ids":["map",[["ovs-mirror/owner","ovs-mirror"],
             ["ovs-mirror/a/pod1/net1","ovn1;net=attachnet;pod=default/pod1;puid=u-1;lsp=pod1.default"]]]}}
            """);
        ops[2].ShouldBeJson("""
            {"op":"mutate","table":"Logical_Switch_Port","where":[["name","==","pod1.default"]],
             "mutations":[["mirror_rules","insert",["named-uuid","m0"]]]}
            """);
    }

    [Fact]
    public void Attach_AnExistingMirror_IsGuardedByItsDefinition_AndReplacesOnlyThisAttachmentsRecord()
    {
        var record = new OvnAttachmentRecord("attachnet", "pod1.default");
        var existing = Mirror(M1, Gre, owned: true, (A2, "ovn1;net=attachnet;lsp=pod2.default"));

        var plan = NorthboundAttachPlanner.Plan(new NbAttachSnapshot(true, [existing]), A1, "pod1.default", record, [Gre]);

        plan.CreatesMirrors.Should().BeFalse();
        var ops = PlannerJson.Ops(plan.Transaction, Db);
        ops.Kinds().Should().Equal("wait", "wait", "mutate", "mutate");
        ops[1].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Mirror","where":[["_uuid","==",["uuid","{{M1}}"]]],
             "columns":["name","type","index","filter","sink"],"until":"==",
             "rows":[{"name":"mirror1","type":"gre","index":99,"filter":"from-lport","sink":"172.19.0.21"}]}
            """);
        ops[2].ShouldBeJson($$"""
            {"op":"mutate","table":"Mirror","where":[["_uuid","==",["uuid","{{M1}}"]]],"mutations":[
              ["external_ids","delete","ovs-mirror/a/pod1/net1"],
              ["external_ids","insert",["map",[["ovs-mirror/a/pod1/net1","ovn1;net=attachnet;lsp=pod1.default"]]]]]}
            """);
        ops[3].ShouldBeJson($$"""
            {"op":"mutate","table":"Logical_Switch_Port","where":[["name","==","pod1.default"]],
             "mutations":[["mirror_rules","insert",["uuid","{{M1}}"]]]}
            """);
    }

    [Fact]
    public void Attach_WhenTheLspIsMissing_Is106_AndAMirrorOfAnotherDefinitionIs105()
    {
        var record = new OvnAttachmentRecord("attachnet", "pod1.default");
        var missing = () => NorthboundAttachPlanner.Plan(new NbAttachSnapshot(false, [null]), A1, "pod1.default", record, [Gre]);
        missing.Should().Throw<CniException>().Which.Code.Should().Be(PluginErrorCode.LogicalSwitchPortNotFound);

        var other = Mirror(M1, Gre with { Index = 7 }, owned: true);
        var conflict = () => NorthboundAttachPlanner.Plan(new NbAttachSnapshot(true, [other]), A1, "pod1.default", record, [Gre]);
        conflict.Should().Throw<CniException>().Which.Code.Should().Be(PluginErrorCode.MirrorDefinitionConflict);
    }

    [Fact]
    public void Detach_TheLastAttachment_DropsItsRecordAndLspReference_GuardedByExternalIdsAsRead_AndEmptiesTheMirror()
    {
        var mirror = Mirror(M1, Gre, owned: true, (A1, "ovn1;net=attachnet;lsp=pod1.default"));

        var plan = NorthboundDetachPlanner.Plan([mirror], AttachmentSelector.One(A1));

        plan.EmptiedMirrors.Should().Equal(M1);
        plan.Detached.Select(d => (d.Mirror, d.Id)).Should().Equal(("mirror1", A1));
        var ops = PlannerJson.Ops(plan.Transaction!, Db);
        ops.Kinds().Should().Equal("wait", "mutate", "mutate");
        ops[0].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Mirror","where":[["_uuid","==",["uuid","{{M1}}"]]],"columns":["external_ids"],
             "until":"==","rows":[{"external_ids":["map",[["ovs-mirror/owner","ovs-mirror"],
               ["ovs-mirror/a/pod1/net1","ovn1;net=attachnet;lsp=pod1.default"]]]}]}
            """);
        ops[1].ShouldBeJson($$"""
            {"op":"mutate","table":"Mirror","where":[["_uuid","==",["uuid","{{M1}}"]]],
             "mutations":[["external_ids","delete","ovs-mirror/a/pod1/net1"]]}
            """);
        ops[2].ShouldBeJson($$"""
            {"op":"mutate","table":"Logical_Switch_Port","where":[["name","==","pod1.default"]],
             "mutations":[["mirror_rules","delete",["uuid","{{M1}}"]]]}
            """);
    }

    [Fact]
    public void Detach_KeepsTheLspReference_WhileAnotherAttachmentOfTheSameLspStays_AndDoesNothingForOthers()
    {
        var mirror = Mirror(M1, Gre, owned: true,
            (A1, "ovn1;net=attachnet;lsp=pod1.default"), (A2, "ovn1;net=attachnet;lsp=pod1.default"));

        var plan = NorthboundDetachPlanner.Plan([mirror], AttachmentSelector.One(A1));

        PlannerJson.Ops(plan.Transaction!, Db).Kinds().Should().Equal("wait", "mutate");
        plan.EmptiedMirrors.Should().BeEmpty();
        NorthboundDetachPlanner.Plan([mirror], AttachmentSelector.One(new AttachmentId("nobody", "net1"))).Transaction.Should().BeNull();
    }

    [Fact]
    public void Cleanup_DeletesTheMirrorOnlyIfOwnedAndEmpty_AndNoLspRefersToIt()
    {
        var ops = PlannerJson.Ops(NorthboundCleanupPlanner.Plan(M1), Db);

        ops.Kinds().Should().Equal("wait", "wait", "delete");
        ops[0].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Mirror","where":[["_uuid","==",["uuid","{{M1}}"]],
              ["external_ids","==",["map",[["ovs-mirror/owner","ovs-mirror"]]]]],"columns":["_uuid"],"until":"!=","rows":[]}
            """);
        ops[1].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Logical_Switch_Port","where":[["mirror_rules","includes",["uuid","{{M1}}"]]],
             "columns":["_uuid"],"until":"==","rows":[]}
            """);
        ops[2].ShouldBeJson($$"""{"op":"delete","table":"Mirror","where":[["_uuid","==",["uuid","{{M1}}"]]]}""");
    }

    [Fact]
    public void Diff_NamesEveryDifference()
    {
        var mirror = Mirror(M1, Gre with { Sink = "10.0.0.1" }, owned: true);

        var differences = NorthboundDiff.Find([], [mirror], [Gre, Gre with { Name = "mirror2" }], A1, "pod1.default");

        differences.Should().Equal(
            "mirror mirror1 has type gre, index 99, filter from-lport, sink 10.0.0.1",
            "mirror mirror1 has no record of attachment pod1/net1 for pod1.default",
            "logical switch port pod1.default does not refer to mirror mirror1 (mirror_rules)",
            "mirror mirror2 does not exist");
    }
}
