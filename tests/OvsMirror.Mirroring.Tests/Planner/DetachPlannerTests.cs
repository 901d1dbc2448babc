using System.Text.Json;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;
using OvsMirror.Ovsdb;
using static OvsMirror.Mirroring.Tests.Planner.Snapshots;

namespace OvsMirror.Mirroring.Tests.Planner;

/// <summary>The transaction DetachPlanner builds for a DEL (or GC) from the records on the bridge's mirrors.</summary>
public sealed class DetachPlannerTests
{
    private static readonly Guid P1 = Uuid(1);
    private static readonly Guid P2 = Uuid(2);
    private static readonly Guid C1 = Uuid(3);
    private static readonly Guid M1 = Uuid(101);
    private static readonly Guid M2 = Uuid(102);
    private static readonly AttachmentId A1 = new("pod1", "eth1");
    private static readonly AttachmentId A2 = new("pod2", "eth1");
    private static readonly AttachmentId A3 = new("pod3", "eth2");

    private static DetachPlan Plan(params MirrorSnapshot[] mirrors) => Plan(A1, mirrors);

    private static DetachPlan Plan(AttachmentId leaving, params MirrorSnapshot[] mirrors) =>
        DetachPlanner.Plan(new BridgeMirrorsSnapshot(BridgeWith(mirrors.Select(m => m.Uuid)), mirrors), Bridge, (id, _) => id == leaving);

    private static string Probe(Guid mirror) => $$"""
        {"op":"select","table":"Mirror","where":[["_uuid","==",["uuid","{{mirror}}"]],
          ["external_ids","==",["map",[["ovs-mirror/owner","ovs-mirror"]]]]],"columns":["_uuid"]}
        """;

    [Fact]
    public void ProducerLeaving_LosesOnlyItsPortsAndRecord_AndTheOwnedMirrorIsProbedForEmptiness()
    {
        var m1 = new MirrorRow(M1, "m1")
        {
            SrcPorts = [P1, P2],
            DstPorts = [P1],
            OutputPort = C1,
            Records =
            [
                (A1, ProducerRecord(P1, "veth1", MirrorSelection.SrcPort | MirrorSelection.DstPort)),
                (A2, ProducerRecord(P2, "veth2", MirrorSelection.SrcPort)),
                (A3, ConsumerRecord(C1, "veth3")),
            ],
        }.Full();
        var m2 = new MirrorRow(M2, "m2") { SrcPorts = [P2], Records = [(A2, ProducerRecord(P2, "veth2", MirrorSelection.SrcPort))] }.Full();

        var plan = Plan(m1, m2);

        var ops = PlannerJson.Ops(plan.Transaction);
        ops.Kinds().Should().Equal("mutate", "mutate", "select");
        ops[0].ShouldBeJson($$"""
            {"op":"mutate","table":"Mirror","where":[["_uuid","==",["uuid","{{M1}}"]]],"mutations":[
              ["external_ids","delete","ovs-mirror/a/pod1/eth1"],
              ["select_src_port","delete",["uuid","{{P1}}"]],
              ["select_dst_port","delete",["uuid","{{P1}}"]],
              ["output_port","delete",["uuid","{{P1}}"]]]}
            """);
        // Its PortLocator entry on the port goes too, by key.
        ops[1].ShouldBeJson($$"""
            {"op":"mutate","table":"Port","where":[["_uuid","==",["uuid","{{P1}}"]]],"mutations":[["external_ids","delete","ovs-mirror/l/pod1/eth1/m1"]]}
            """);
        ops[2].ShouldBeJson(Probe(M1));
        plan.FirstProbe.Should().Be(2);
        plan.ProbedMirrors.Select(m => m.Uuid).Should().Equal(M1);
    }

    [Fact]
    public void ConsumerLeaving_TakesItsPortOutOfOutputPort()
    {
        var m1 = new MirrorRow(M1, "m1")
        {
            SrcPorts = [P1],
            OutputPort = C1,
            Records = [(A1, ConsumerRecord(C1, "veth3")), (A2, ProducerRecord(P1, "veth1", MirrorSelection.SrcPort))],
        }.Full();

        var ops = PlannerJson.Ops(Plan(m1).Transaction);

        ops.Kinds().Should().Equal("mutate", "mutate", "select");
        ops[0]!["mutations"].ShouldBeJson($$"""
            [["external_ids","delete","ovs-mirror/a/pod1/eth1"],
             ["select_src_port","delete",["uuid","{{C1}}"]],["select_dst_port","delete",["uuid","{{C1}}"]],
             ["output_port","delete",["uuid","{{C1}}"]]]
            """);
    }

    [Fact]
    public void PortThatAnotherRecordStillHolds_StaysSelected()
    {
        var m1 = new MirrorRow(M1, "m1")
        {
            SrcPorts = [P1],
            Records =
            [
                (A1, ProducerRecord(P1, "veth1", MirrorSelection.SrcPort)),
                (A2, ProducerRecord(P1, "veth1", MirrorSelection.SrcPort)),
            ],
        }.Full();

        var ops = PlannerJson.Ops(Plan(m1).Transaction);

        ops.Kinds().Should().Equal("mutate", "mutate", "select");
        ops[0]!["mutations"].ShouldBeJson("""[["external_ids","delete","ovs-mirror/a/pod1/eth1"]]""");
    }

    [Fact]
    public void SelectAllProducerLeaving_RecomputesFromTheRemainingRecords_GuardedByExternalIdsAsRead()
    {
        var row = new MirrorRow(M1, "m1")
        {
            SelectAll = true,
            SrcPorts = [P2],
            OutputPort = C1,
            Records =
            [
                (A1, ProducerRecord(P1, "veth1", MirrorSelection.All)),
                (A2, ProducerRecord(P2, "veth2", MirrorSelection.SrcPort)),
                (A3, ConsumerRecord(C1, "veth3")),
            ],
        };

        var plan = Plan(row.Full());

        var ops = PlannerJson.Ops(plan.Transaction);
        ops.Kinds().Should().Equal("wait", "mutate", "update", "mutate", "select");
        var externalIds = string.Join(",", row.ExternalIds.Select(p => JsonSerializer.Serialize(new[] { p.Key, p.Value })));
        ops[0].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Mirror","where":[["_uuid","==",["uuid","{{M1}}"]]],"columns":["external_ids"],
             "until":"==","rows":[{"external_ids":["map",[{{externalIds}}]]}]}
            """);
        ops[2].ShouldBeJson($$$"""
            {"op":"update","table":"Mirror","where":[["_uuid","==",["uuid","{{{M1}}}"]]],
             "row":{"select_all":false,"select_vlan":["set",[]],"output_vlan":["set",[]]}}
            """);
        ops[4].ShouldBeJson(Probe(M1));
        plan.FirstProbe.Should().Be(4);
    }

    [Fact]
    public void VlanProducerLeaving_KeepsTheOtherProducersVlans()
    {
        var m1 = new MirrorRow(M1, "m1")
        {
            SelectAll = true,
            SelectVlan = [100, 200, 300],
            Records =
            [
                (A1, ProducerRecord(P1, "veth1", MirrorSelection.Vlan, 100)),
                (A2, ProducerRecord(P2, "veth2", MirrorSelection.Vlan, 200, 300)),
            ],
        }.Full();

        var ops = PlannerJson.Ops(Plan(m1).Transaction);

        ops.Kinds().Should().Equal("wait", "mutate", "update", "mutate", "select");
        ops[2]!["row"].ShouldBeJson("""{"select_all":true,"select_vlan":["set",[200,300]],"output_vlan":["set",[]]}""");
    }

    [Fact]
    public void PortProducerLeaving_NeedsNoGuardAndNoRecompute()
    {
        var m1 = new MirrorRow(M1, "m1")
        {
            SelectAll = true,
            SrcPorts = [P2],
            Records = [(A1, ProducerRecord(P1, "veth1", MirrorSelection.All)), (A2, ProducerRecord(P2, "veth2", MirrorSelection.SrcPort))],
        }.Full();

        PlannerJson.Ops(Plan(A2, m1).Transaction).Kinds().Should().Equal("mutate", "mutate", "select");
    }

    [Fact]
    public void UnownedMirror_LosesTheRecordAndPorts_ButIsNeitherRecomputedNorProbed()
    {
        var m1 = new MirrorRow(M1, "m1")
        {
            Owned = false,
            SelectAll = true,
            Records = [(A1, ProducerRecord(P1, "veth1", MirrorSelection.All))],
        }.Full();

        var plan = Plan(m1);

        var ops = PlannerJson.Ops(plan.Transaction);
        ops.Kinds().Should().Equal("mutate", "mutate");
        ops[0]!["mutations"]!.AsArray().Select(m => m![0]!.GetValue<string>()).Should()
            .Equal("external_ids", "select_src_port", "select_dst_port", "output_port");
        plan.ProbedMirrors.Should().BeEmpty();
        plan.FirstProbe.Should().Be(2);
    }

    [Fact]
    public void NothingRecordedForTheAttachment_IsAnEmptyPlan()
    {
        var m1 = new MirrorRow(M1, "m1") { Records = [(A2, ProducerRecord(P2, "veth2", MirrorSelection.SrcPort))] }.Full();

        var plan = Plan(m1);

        plan.IsEmpty.Should().BeTrue();
        plan.ProbedMirrors.Should().BeEmpty();
    }

    [Theory]
    [InlineData(998, false, true)]  // the other mirror outputs elsewhere: 999 goes
    [InlineData(999, false, false)] // the other mirror still outputs to 999: it stays
    [InlineData(999, true, true)]   // the other mirror loses 999 in this same transaction: it goes
    public void FloodVlan_IsDroppedOnlyWhenNoOtherMirrorStillOutputsToIt(int otherVlan, bool otherLeavesToo, bool dropped)
    {
        var m1 = new MirrorRow(M1, "m1") { OutputVlan = 999, Records = [(A1, ConsumerRecord(C1, "veth3", 999))] }.Full();
        var m2 = new MirrorRow(M2, "m2") { OutputVlan = otherVlan, Records = [(A2, ConsumerRecord(P2, "veth2", otherVlan))] }.Full();
        var snapshot = new BridgeMirrorsSnapshot(BridgeWith([M1, M2], 998, 999), [m1, m2]);

        var plan = DetachPlanner.Plan(snapshot, Bridge, (id, _) => id == A1 || (otherLeavesToo && id == A2));

        var ops = PlannerJson.Ops(plan.Transaction);
        var floodMutations = ops.OfKind("mutate").Where(op => op["table"]!.GetValue<string>() == "Bridge").ToList();
        if (dropped)
        {
            floodMutations.Should().ContainSingle().Which.ShouldBeJson("""
                {"op":"mutate","table":"Bridge","where":[["name","==","br1"]],"mutations":[["flood_vlans","delete",999]]}
                """);
        }
        else
        {
            floodMutations.Should().BeEmpty();
        }

        // m1's output_vlan is recomputed (to none), guarded by its external_ids as read.
        ops.OfKind("update").First()["row"].ShouldBeJson("""{"select_all":false,"select_vlan":["set",[]],"output_vlan":["set",[]]}""");
        ops.OfKind("wait").First()["columns"].ShouldBeJson("""["external_ids"]""");
        ops.Kinds().Should().EndWith(otherLeavesToo ? ["select", "select"] : ["select"]);
    }

    [Fact]
    public void FloodVlan_StaysWhileAMirrorWithoutRecordsOutputsToIt()
    {
        var m1 = new MirrorRow(M1, "m1") { OutputVlan = 999, Records = [(A1, ConsumerRecord(C1, "veth3", 999))] }.Full();
        var byVsctl = new MirrorRow(M2, "rspan") { Owned = false, OutputVlan = 999 }.Full();

        var ops = PlannerJson.Ops(Plan(m1, byVsctl).Transaction);

        ops.Kinds().Should().Equal("wait", "mutate", "update", "mutate", "select");
    }

    [Fact]
    public void EmptiedMirrors_AreThoseWhoseProbeFoundTheRow()
    {
        var m1 = new MirrorRow(M1, "m1") { SrcPorts = [P1], Records = [(A1, ProducerRecord(P1, "veth1", MirrorSelection.SrcPort))] }.Full();
        var m2 = new MirrorRow(M2, "m2")
        {
            SrcPorts = [P1, P2],
            Records = [(A1, ProducerRecord(P1, "veth1", MirrorSelection.SrcPort)), (A2, ProducerRecord(P2, "veth2", MirrorSelection.SrcPort))],
        }.Full();
        var plan = Plan(m1, m2);
        PlannerJson.Ops(plan.Transaction).Kinds().Should().Equal("mutate", "mutate", "mutate", "mutate", "select", "select");
        plan.FirstProbe.Should().Be(4);

        using var reply = JsonDocument.Parse($$"""
            [{"count":1},{"count":1},{"count":1},{"count":1},{"rows":[{"_uuid":["uuid","{{M1}}"]}]},{"rows":[]}]
            """);
        var result = TransactionResult.FromJson(reply.RootElement, plan.Transaction);

        plan.EmptiedMirrors(result).Select(m => m.Uuid).Should().Equal(M1);
    }
}
