using System.Text.Json.Nodes;
using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;
using static OvsMirror.Mirroring.Tests.Planner.Snapshots;

namespace OvsMirror.Mirroring.Tests.Planner;

/// <summary>The one guarded transaction AttachPlanner builds for an ADD, rendered as the server receives it.</summary>
public sealed class AttachPlannerTests
{
    private static readonly Guid P = Uuid(1);
    private static readonly Guid OtherPort = Uuid(2);
    private static readonly Guid M1 = Uuid(101);
    private static readonly Guid M2 = Uuid(102);
    private static readonly Guid M3 = Uuid(103);
    private static readonly AttachmentId Id = new("pod1", "eth1");
    private static readonly string PortGuard =
        $$"""{"op":"wait","timeout":0,"table":"Bridge","where":[["name","==","br1"],["ports","includes",["uuid","{{P}}"]]],"columns":["_uuid"],"until":"!=","rows":[]}""";

    private static PlannedTransaction Plan(AttachSnapshot snapshot, params MirrorRequest[] requests) =>
        AttachPlanner.Plan(snapshot, Bridge, Network, Id, requests);

    private static CniException PlanFails(AttachSnapshot snapshot, params MirrorRequest[] requests)
    {
        var act = () => Plan(snapshot, requests);
        return act.Should().ThrowExactly<CniException>().Which;
    }

    [Fact]
    public void NewMirror_IsInsertedAndReferenced_GuardedByPortOnBridgeAndBridgeMirrorsUnchanged()
    {
        var snapshot = ForAttach(BridgeWith([M2, M3]), Port(P, "veth1"));

        var plan = Plan(snapshot, Produce("m1", MirrorSelection.SrcPort | MirrorSelection.DstPort));

        var ops = PlannerJson.Ops(plan.Transaction);
        ops.Kinds().Should().Equal("wait", "wait", "insert", "mutate", "mutate");
        ops[0].ShouldBeJson(PortGuard);
        // create-if-absent: Bridge.mirrors exactly as read, so no mirror m1 can have appeared on br1 meanwhile.
        ops[1].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Bridge","where":[["name","==","br1"]],"columns":["mirrors"],"until":"==",
             "rows":[{"mirrors":["set",[["uuid","{{M2}}"],["uuid","{{M3}}"]]]}]}
            """);
        ops[2].ShouldBeJson($$$"""
            {"op":"insert","table":"Mirror","uuid-name":"m0","row":{
              "name":"m1",
              "external_ids":["map",[["ovs-mirror/owner","ovs-mirror"],
                                     ["ovs-mirror/a/pod1/eth1","v1;role=producer;net=net1;uuid={{{P}}};sel=src,dst;port=veth1"]]],
              "select_src_port":["uuid","{{{P}}}"],
              "select_dst_port":["uuid","{{{P}}}"]}}
            """);
        ops[3].ShouldBeJson("""
            {"op":"mutate","table":"Bridge","where":[["name","==","br1"]],"mutations":[["mirrors","insert",["named-uuid","m0"]]]}
            """);
        plan.TerminalGuards.Keys.Should().Equal(0);
        plan.TerminalGuards[0].Code.Should().Be(PluginErrorCode.PortNotOnBridge);
    }

    [Fact]
    public void NewMirror_OnABridgeWithoutMirrors_GuardsOnTheEmptySet()
    {
        var plan = Plan(ForAttach(BridgeWith([]), Port(P, "veth1")), Consume("m1"));

        var ops = PlannerJson.Ops(plan.Transaction);
        ops.Kinds().Should().Equal("wait", "wait", "insert", "mutate", "mutate");
        ops[1]!["rows"].ShouldBeJson("""[{"mirrors":["set",[]]}]""");
        ops[2]!["row"].ShouldBeJson($$"""
            {"name":"m1","external_ids":["map",[["ovs-mirror/owner","ovs-mirror"],
               ["ovs-mirror/a/pod1/eth1","v1;role=consumer;net=net1;uuid={{P}};out=port;port=veth1"]]],
             "output_port":["uuid","{{P}}"]}
            """);
    }

    [Fact]
    public void TwoNewMirrors_GetTheirOwnNamedUuids()
    {
        var plan = Plan(ForAttach(BridgeWith([]), Port(P, "veth1")),
            Produce("m1", MirrorSelection.SrcPort), Produce("m2", MirrorSelection.SrcPort));

        var ops = PlannerJson.Ops(plan.Transaction);
        ops.Kinds().Should().Equal("wait", "wait", "insert", "mutate", "insert", "mutate", "mutate");
        ops[2]!["uuid-name"]!.GetValue<string>().Should().Be("m0");
        ops[4]!["uuid-name"]!.GetValue<string>().Should().Be("m1");
        ops[3]!["mutations"].ShouldBeJson("""[["mirrors","insert",["named-uuid","m0"]]]""");
        ops[5]!["mutations"].ShouldBeJson("""[["mirrors","insert",["named-uuid","m1"]]]""");
        ops[4]!["row"]!["name"]!.GetValue<string>().Should().Be("m2");
    }

    [Fact]
    public void NewRspanMirror_AlsoPutsItsVlanIntoFloodVlans()
    {
        var plan = Plan(ForAttach(BridgeWith([]), Port(P, "veth1", tag: 999)), Consume("m1", MirrorOutputKind.Vlan));

        var ops = PlannerJson.Ops(plan.Transaction);
        ops.Kinds().Should().Equal("wait", "wait", "insert", "mutate", "mutate", "mutate");
        ops[2]!["row"]!["output_vlan"].ShouldBeJson("999");
        ops[2]!["row"]!.AsObject().ContainsKey("output_port").Should().BeFalse();
        ops[4].ShouldBeJson("""
            {"op":"mutate","table":"Bridge","where":[["name","==","br1"]],"mutations":[["flood_vlans","insert",999]]}
            """);
    }

    [Fact]
    public void ExistingMirror_ProducerJoins_ByMutateInsertOnly_AndReplacesItsRecord()
    {
        var m1 = new MirrorRow(M1, "m1") { SrcPorts = [OtherPort] }.ForAttach();

        var plan = Plan(ForAttach(BridgeWith([M1, M2]), Port(P, "veth1"), m1), Produce("m1", MirrorSelection.SrcPort));

        var ops = PlannerJson.Ops(plan.Transaction);
        ops.Kinds().Should().Equal("wait", "wait", "wait", "mutate", "mutate");
        ops[0].ShouldBeJson(PortGuard);
        // Port selections rely on the mirror having no VLAN filter.
        ops[1].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Mirror","where":[["_uuid","==",["uuid","{{M1}}"]],["select_vlan","==",["set",[]]]],
             "columns":["_uuid"],"until":"!=","rows":[]}
            """);
        // The mirror is still on br1 (not: Bridge.mirrors unchanged, which would make every join contend).
        ops[2].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Bridge","where":[["name","==","br1"],["mirrors","includes",["uuid","{{M1}}"]]],
             "columns":["_uuid"],"until":"!=","rows":[]}
            """);
        ops[3].ShouldBeJson($$"""
            {"op":"mutate","table":"Mirror","where":[["_uuid","==",["uuid","{{M1}}"]]],"mutations":[
              ["select_src_port","insert",["uuid","{{P}}"]],
              ["external_ids","delete","ovs-mirror/a/pod1/eth1"],
              ["external_ids","insert",["map",[["ovs-mirror/a/pod1/eth1","v1;role=producer;net=net1;uuid={{P}};sel=src;port=veth1"]]]]]}
            """);
        plan.TerminalGuards.Keys.Should().Equal(0);
    }

    [Fact]
    public void OneNewAndOneExistingMirror_GuardOnlyOnBridgeMirrorsUnchanged()
    {
        var m2 = new MirrorRow(M2, "m2").ForAttach();

        var plan = Plan(ForAttach(BridgeWith([M2]), Port(P, "veth1"), m2),
            Produce("m1", MirrorSelection.SrcPort), Produce("m2", MirrorSelection.DstPort));

        var ops = PlannerJson.Ops(plan.Transaction);
        ops.Kinds().Should().Equal("wait", "wait", "wait", "insert", "mutate", "mutate", "mutate");
        ops[1]!["table"]!.GetValue<string>().Should().Be("Mirror");
        ops[2].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Bridge","where":[["name","==","br1"]],"columns":["mirrors"],"until":"==",
             "rows":[{"mirrors":["uuid","{{M2}}"]}]}
            """);
        ops[5]!["mutations"]![0].ShouldBeJson($$"""["select_dst_port","insert",["uuid","{{P}}"]]""");
    }

    [Fact]
    public void Consumer_OnAFreeMirror_GuardsTheOutputAndSetsOutputPort()
    {
        var m1 = new MirrorRow(M1, "m1") { SrcPorts = [OtherPort] }.ForAttach();

        var plan = Plan(ForAttach(BridgeWith([M1]), Port(P, "veth1"), m1), Consume("m1"));

        var ops = PlannerJson.Ops(plan.Transaction);
        ops.Kinds().Should().Equal("wait", "wait", "wait", "mutate", "update", "mutate");
        ops[1].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Mirror","where":[["_uuid","==",["uuid","{{M1}}"]]],
             "columns":["output_port","output_vlan"],"until":"==","rows":[{"output_port":["set",[]],"output_vlan":["set",[]]}]}
            """);
        ops[3]!["mutations"].ShouldBeJson($$"""
            [["external_ids","delete","ovs-mirror/a/pod1/eth1"],
             ["external_ids","insert",["map",[["ovs-mirror/a/pod1/eth1","v1;role=consumer;net=net1;uuid={{P}};out=port;port=veth1"]]]]]
            """);
        ops[4].ShouldBeJson($$$"""
            {"op":"update","table":"Mirror","where":[["_uuid","==",["uuid","{{{M1}}}"]]],"row":{"output_port":["uuid","{{{P}}}"]}}
            """);
    }

    [Fact]
    public void Consumer_AgainOnItsOwnOutput_OnlyRewritesItsRecord()
    {
        var m1 = new MirrorRow(M1, "m1") { OutputPort = P }.ForAttach();

        var ops = PlannerJson.Ops(Plan(ForAttach(BridgeWith([M1]), Port(P, "veth1"), m1), Consume("m1")).Transaction);

        ops.Kinds().Should().Equal("wait", "wait", "wait", "mutate", "mutate");
        ops[1]!["rows"].ShouldBeJson($$"""[{"output_port":["uuid","{{P}}"],"output_vlan":["set",[]]}]""");
    }

    [Theory]
    [InlineData("port")]
    [InlineData("vlan")]
    public void Consumer_OnAMirrorWithAnotherOutput_IsRefusedWith100(string taken)
    {
        var m1 = (taken == "port" ? new MirrorRow(M1, "m1") { OutputPort = OtherPort } : new MirrorRow(M1, "m1") { OutputVlan = 999 })
            .ForAttach();

        var error = PlanFails(ForAttach(BridgeWith([M1]), Port(P, "veth1"), m1), Consume("m1"));

        error.Code.Should().Be(PluginErrorCode.MirrorOutputTaken);
        error.Message.Should().Contain("mirror m1 already outputs to").And.Contain(taken == "port" ? OtherPort.ToString() : "VLAN 999");
    }

    [Fact]
    public void RspanConsumer_OnAMirrorWithAnotherOutputVlan_IsRefusedWith100()
    {
        var m1 = new MirrorRow(M1, "m1") { OutputVlan = 998 }.ForAttach();

        PlanFails(ForAttach(BridgeWith([M1]), Port(P, "veth1"), m1), Consume("m1", MirrorOutputKind.Vlan, 999))
            .Code.Should().Be(PluginErrorCode.MirrorOutputTaken);
    }

    [Fact]
    public void ThirtyThirdMirror_IsRefusedWith102()
    {
        var full = BridgeWith(Enumerable.Range(200, 32).Select(Uuid));

        var error = PlanFails(ForAttach(full, Port(P, "veth1")), Produce("m1", MirrorSelection.SrcPort));

        error.Code.Should().Be(PluginErrorCode.MirrorLimitReached);
        error.Message.Should().Contain("already has 32 mirrors").And.Contain("mirror m1");
    }

    [Fact]
    public void TwoNewMirrors_OnABridgeWithThirtyOne_AreRefusedWith102_ButOneIsPlanned()
    {
        var bridge = BridgeWith(Enumerable.Range(200, 31).Select(Uuid));

        PlanFails(ForAttach(bridge, Port(P, "veth1")), Produce("m1", MirrorSelection.SrcPort), Produce("m2", MirrorSelection.SrcPort))
            .Code.Should().Be(PluginErrorCode.MirrorLimitReached);
        PlannerJson.Ops(Plan(ForAttach(bridge, Port(P, "veth1")), Produce("m1", MirrorSelection.SrcPort)).Transaction)
            .Kinds().Should().Equal("wait", "wait", "insert", "mutate", "mutate");
    }

    [Fact]
    public void JoiningAnExistingMirror_OnAFullBridge_IsPlanned()
    {
        var mirrors = Enumerable.Range(200, 31).Select(Uuid).Append(M1).ToList();
        var m1 = new MirrorRow(M1, "m1").ForAttach();

        PlannerJson.Ops(Plan(ForAttach(BridgeWith(mirrors), Port(P, "veth1"), m1), Produce("m1", MirrorSelection.SrcPort)).Transaction)
            .Kinds().Should().Equal("wait", "wait", "wait", "mutate", "mutate");
    }

    [Fact]
    public void TwoMirrorsOfTheNameOnTheBridge_AreRefusedWith106()
    {
        var snapshot = ForAttach(BridgeWith([M1, M2]), Port(P, "veth1"),
            new MirrorRow(M1, "m1").ForAttach(), new MirrorRow(M2, "m1").ForAttach());

        var error = PlanFails(snapshot, Produce("m1", MirrorSelection.SrcPort));

        error.Code.Should().Be(PluginErrorCode.DuplicateMirror);
        error.Message.Should().Contain("2 mirrors named m1");
    }

    [Fact]
    public void VlanSelection_OnAMirrorWithPortSelections_IsRefusedWith107()
    {
        var m1 = new MirrorRow(M1, "m1") { SrcPorts = [OtherPort] }.ForAttach();

        var error = PlanFails(ForAttach(BridgeWith([M1]), Port(P, "veth1", tag: 100), m1), Produce("m1", MirrorSelection.Vlan));

        error.Code.Should().Be(PluginErrorCode.SelectionConflict);
        error.Message.Should().Contain("mirror m1").And.Contain("already selects ports");
    }

    [Fact]
    public void VlanSelection_OnAMirrorThatSelectsAllTraffic_IsRefusedWith107()
    {
        var m1 = new MirrorRow(M1, "m1") { SelectAll = true }.ForAttach();

        PlanFails(ForAttach(BridgeWith([M1]), Port(P, "veth1", tag: 100), m1), Produce("m1", MirrorSelection.Vlan))
            .Code.Should().Be(PluginErrorCode.SelectionConflict);
    }

    [Theory]
    [InlineData(MirrorSelection.SrcPort)]
    [InlineData(MirrorSelection.All)]
    public void PortOrAllSelection_OnAMirrorThatSelectsByVlan_IsRefusedWith107(MirrorSelection selection)
    {
        var m1 = new MirrorRow(M1, "m1") { SelectAll = true, SelectVlan = [200] }.ForAttach();

        var error = PlanFails(ForAttach(BridgeWith([M1]), Port(P, "veth1"), m1), Produce("m1", selection));

        error.Code.Should().Be(PluginErrorCode.SelectionConflict);
        error.Message.Should().Contain("selects by VLAN");
    }

    [Fact]
    public void VlanSelection_OnAnOwnedMirror_GuardsItsSelectionsAndAddsTheVlanFilter()
    {
        var m1 = new MirrorRow(M1, "m1") { SelectAll = true, SelectVlan = [200], OutputPort = OtherPort }.ForAttach();

        var plan = Plan(ForAttach(BridgeWith([M1]), Port(P, "veth1", tag: 100), m1), Produce("m1", MirrorSelection.Vlan));

        var ops = PlannerJson.Ops(plan.Transaction);
        ops.Kinds().Should().Equal("wait", "wait", "wait", "mutate", "mutate");
        ops[1].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Mirror",
             "where":[["_uuid","==",["uuid","{{M1}}"]],["select_src_port","==",["set",[]]],["select_dst_port","==",["set",[]]]],
             "columns":["select_all","select_vlan"],"until":"==","rows":[{"select_all":true,"select_vlan":200}]}
            """);
        ops[3]!["mutations"]![0].ShouldBeJson("""["select_vlan","insert",100]""");
        ops[3]!["mutations"]![2]![2]![1]![0]![1]!.GetValue<string>().Should().EndWith(";sel=vlan;vlans=100;port=veth1");
    }

    [Fact]
    public void VlanSelection_OnAnOwnedMirrorWithOnlyAnOutput_TurnsOnSelectAll()
    {
        var m1 = new MirrorRow(M1, "m1") { OutputPort = OtherPort }.ForAttach();

        var ops = PlannerJson.Ops(Plan(ForAttach(BridgeWith([M1]), Port(P, "veth1"), m1),
            Produce("m1", MirrorSelection.Vlan, vlans: [100, 200])).Transaction);

        ops.Kinds().Should().Equal("wait", "wait", "wait", "mutate", "update", "mutate");
        ops[1]!["rows"].ShouldBeJson("""[{"select_all":false,"select_vlan":["set",[]]}]""");
        ops[3]!["mutations"]![0].ShouldBeJson("""["select_vlan","insert",["set",[100,200]]]""");
        ops[4]!["row"].ShouldBeJson("""{"select_all":true}""");
    }

    public static TheoryData<string> MirrorWideRequests => ["selection all", "selection vlan", "snaplen", "output vlan"];

    [Theory]
    [MemberData(nameof(MirrorWideRequests))]
    public void UnownedMirror_NeverGetsMirrorWideChanges_107(string what)
    {
        var m1 = new MirrorRow(M1, "m1") { Owned = false, Snaplen = 64 }.ForAttach();
        var request = what switch
        {
            "selection all" => Produce("m1", MirrorSelection.All),
            "selection vlan" => Produce("m1", MirrorSelection.Vlan, vlans: [100]),
            "snaplen" => Produce("m1", MirrorSelection.SrcPort, snaplen: 128),
            _ => Consume("m1", MirrorOutputKind.Vlan, 999),
        };

        var error = PlanFails(ForAttach(BridgeWith([M1]), Port(P, "veth1"), m1), request);

        error.Code.Should().Be(PluginErrorCode.SelectionConflict);
        error.Message.Should().Contain("not created by ovs-mirror").And.Contain(what);
    }

    [Fact]
    public void UnownedMirror_ThatAlreadySelectsAll_TakesAnAllProducerWithoutAnUpdate()
    {
        var m1 = new MirrorRow(M1, "m1") { Owned = false, SelectAll = true, Snaplen = 128 }.ForAttach();

        var ops = PlannerJson.Ops(Plan(ForAttach(BridgeWith([M1]), Port(P, "veth1"), m1),
            Produce("m1", MirrorSelection.All, snaplen: 128)).Transaction);

        ops.Kinds().Should().Equal("wait", "wait", "wait", "wait", "mutate", "mutate");
        ops.OfKind("update").Should().BeEmpty("an unowned mirror's settings are never written");
        ops.OfKind("wait").Any(op => op["rows"] is JsonArray rows && rows.Any(r => r?["select_all"] is not null))
            .Should().BeTrue("the ADD relies on select_all staying true, so it guards it instead");
    }

    /// <summary>
    /// A producer that relies on select_all being true already must guard it (or set it again): otherwise a DEL of
    /// the last other "all" producer that commits in between turns it off and this ADD still commits, its record
    /// saying "all" on a mirror that selects nothing (InterleavingTests shows it against a real server).
    /// </summary>
    [Fact]
    public void AllProducer_JoiningAMirrorThatAlreadySelectsAll_GuardsOrSetsSelectAll()
    {
        var m1 = new MirrorRow(M1, "m1") { SelectAll = true }.ForAttach();

        var ops = PlannerJson.Ops(Plan(ForAttach(BridgeWith([M1]), Port(P, "veth1"), m1), Produce("m1", MirrorSelection.All)).Transaction);

        var guardsSelectAll = ops.OfKind("wait").Any(op => op["rows"] is JsonArray rows && rows.Any(r => r?["select_all"] is not null));
        var setsSelectAll = ops.OfKind("update").Any(op => op["row"]?["select_all"]?.GetValue<bool>() == true);
        (guardsSelectAll || setsSelectAll).Should().BeTrue($"ADD relies on select_all=true; it planned {ops.ToJsonString()}");
    }

    [Fact]
    public void OwnedMirror_GetsSnaplenAndSelectAll_ByOneUpdate()
    {
        var m1 = new MirrorRow(M1, "m1") { Snaplen = 64 }.ForAttach();

        var ops = PlannerJson.Ops(Plan(ForAttach(BridgeWith([M1]), Port(P, "veth1"), m1),
            Produce("m1", MirrorSelection.All, snaplen: 128)).Transaction);

        ops.Kinds().Should().Equal("wait", "wait", "wait", "mutate", "update", "mutate");
        ops[4]!["row"].ShouldBeJson("""{"select_all":true,"snaplen":128}""");
    }

    [Fact]
    public void MissingBridge_Is103_AndMissingPort_Is104()
    {
        PlanFails(ForAttach(null, Port(P, "veth1")), Consume("m1")).Code.Should().Be(PluginErrorCode.BridgeNotFound);
        PlanFails(ForAttach(BridgeWith([]), null), Consume("m1")).Code.Should().Be(PluginErrorCode.PortNotOnBridge);
    }
}
