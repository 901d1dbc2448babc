using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;
using OvsMirror.Ovsdb;
using static OvsMirror.Mirroring.Tests.Planner.Snapshots;

namespace OvsMirror.Mirroring.Tests.Planner;

/// <summary>
/// The port's locator entries (written by ADD) and the one DEL transaction planned from them alone, rendered as the server
/// receives it. The integration tests (LocatedDelTests) run the same against a real ovsdb-server.
/// </summary>
public sealed class LocatedDetachPlannerTests
{
    private static readonly Guid P = Uuid(1);
    private static readonly AttachmentId Id = new("pod1", "eth1");
    private static readonly AttachmentId Other = new("pod2", "net9");

    private static string SrcRecord(Guid port) => ProducerRecord(port, "veth1", MirrorSelection.SrcPort).Format();

    private static LocatedPort PortWith(Guid uuid, params (string Key, string Value)[] externalIds) =>
        new(uuid, "veth1", OvsdbMap.OfStrings(externalIds.Select(e => KeyValuePair.Create(e.Key, e.Value))));

    [Fact]
    public void Add_WritesOneLocatorPerMirror_ReplacedByKey_OnThePortRow()
    {
        var snapshot = ForAttach(BridgeWith([]), Port(P, "veth1"));

        var plan = AttachPlanner.Plan(snapshot, Bridge, Network, Id,
            [Produce("m1", MirrorSelection.SrcPort), Consume("m/2"), Produce("all", MirrorSelection.All)]);

        var last = PlannerJson.Ops(plan.Transaction)[^1];
        var src = ProducerRecord(P, "veth1", MirrorSelection.SrcPort).Format();
        var consumer = ConsumerRecord(P, "veth1").Format();
        last.ShouldBeJson($$"""
            {"op":"mutate","table":"Port","where":[["_uuid","==",["uuid","{{P}}"]]],"mutations":[
              ["external_ids","delete",["set",["ovs-mirror/l/pod1/eth1/m1","ovs-mirror/l/pod1/eth1/m/2","ovs-mirror/l/pod1/eth1/all"]]],
              ["external_ids","insert",["map",[["ovs-mirror/l/pod1/eth1/m1","{{src}}"],
                                               ["ovs-mirror/l/pod1/eth1/m/2","{{consumer}}"],
                                               ["ovs-mirror/l/pod1/eth1/all","full"]]]]]}
            """);
    }

    [Fact]
    public void Locator_OfARemoteMirror_OrOfAVlanProducer_OrOfAnRspanConsumer_AsksForTheFullRead()
    {
        PortLocator.Value(ProducerRecord(P, "veth1", MirrorSelection.SrcPort), remote: true).Should().Be(PortLocator.FullRead);
        PortLocator.Value(ProducerRecord(P, "veth1", MirrorSelection.Vlan, 10), remote: false).Should().Be(PortLocator.FullRead);
        PortLocator.Value(ConsumerRecord(P, "veth1", outputVlan: 100), remote: false).Should().Be(PortLocator.FullRead);
        PortLocator.Value(ConsumerRecord(P, "veth1"), remote: false).Should().Be(ConsumerRecord(P, "veth1").Format());
    }

    [Fact]
    public void Parse_ReadsTheAttachmentAndAMirrorNameWithSlashes_AndSkipsForeignOrMalformedKeys()
    {
        var entries = PortLocator.Parse(OvsdbMap.OfStrings(
        [
            KeyValuePair.Create(PortLocator.Key(Id, "a/b/c"), "v"),
            KeyValuePair.Create("contPodName", "pod1"),
            KeyValuePair.Create("ovs-mirror/l/pod1", "no ifname"),
            KeyValuePair.Create("ovs-mirror/l/pod1/eth1/", "no mirror name"),
            KeyValuePair.Create("ovs-mirror/l//eth1/m", "no container"),
        ]));

        entries.Should().Equal(new PortLocatorEntry(Id, "a/b/c", "ovs-mirror/l/pod1/eth1/a/b/c", "v"));
    }

    [Fact]
    public void Del_RemovesTheLocatedRecordByKeyAndThePort_GuardedByThePortsEntriesAsRead()
    {
        var record = SrcRecord(P);
        var port = PortWith(P, (PortLocator.Key(Id, "m1"), record), ("contPodName", "pod1"));

        var plan = LocatedDetachPlanner.Plan(port, Id, Bridge)!;

        var ops = PlannerJson.Ops(plan.Transaction);
        ops.Kinds().Should().Equal("wait", "wait", "mutate", "mutate", "select");
        ops[0].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Port","where":[["_uuid","==",["uuid","{{P}}"]]],"columns":["external_ids"],"until":"==",
             "rows":[{"external_ids":["map",[["ovs-mirror/l/pod1/eth1/m1","{{record}}"],["contPodName","pod1"]]]}]}
            """);
        // The mirror has not become remote since (a remote producer joining it adds its tunnel port, of a fixed name).
        ops[1].ShouldBeJson($$"""
            {"op":"wait","timeout":0,"table":"Port","where":[["name","==","{{TunnelPort.Name(Bridge, "m1")}}"]],"columns":["_uuid"],"until":"==","rows":[]}
            """);
        plan.TerminalGuards.Keys.Should().Equal(1);
        // Named by name and by the exact record (RFC 7047 §5.1 "includes" on a map compares pairs), so "count" says whether
        // the record was there as located; the record goes by key alone.
        ops[2].ShouldBeJson($$"""
            {"op":"mutate","table":"Mirror",
             "where":[["name","==","m1"],["external_ids","includes",["map",[["ovs-mirror/a/pod1/eth1","{{record}}"]]]]],
             "mutations":[["external_ids","delete","ovs-mirror/a/pod1/eth1"],
                          ["select_src_port","delete",["uuid","{{P}}"]],
                          ["select_dst_port","delete",["uuid","{{P}}"]],
                          ["output_port","delete",["uuid","{{P}}"]]]}
            """);
        ops[3].ShouldBeJson($$"""
            {"op":"mutate","table":"Port","where":[["_uuid","==",["uuid","{{P}}"]]],
             "mutations":[["external_ids","delete","ovs-mirror/l/pod1/eth1/m1"]]}
            """);
        ops[4].ShouldBeJson("""
            {"op":"select","table":"Mirror","where":[["name","==","m1"],["external_ids","==",["map",[["ovs-mirror/owner","ovs-mirror"]]]]],
             "columns":["_uuid"]}
            """);
        plan.Records.Should().ContainSingle().Which.Format().Should().Be(record);
    }

    [Fact]
    public void Del_KeepsThePortSelected_WhileAnotherAttachmentOfIt_IsOnTheSameMirror()
    {
        var port = PortWith(P, (PortLocator.Key(Id, "m1"), SrcRecord(P)), (PortLocator.Key(Other, "m1"), SrcRecord(P)),
            (PortLocator.Key(Id, "m2"), SrcRecord(P)));

        var plan = LocatedDetachPlanner.Plan(port, Id, Bridge)!;

        var mutates = PlannerJson.Ops(plan.Transaction).OfKind("mutate").Where(op => (string?)op["table"] == "Mirror").ToList();
        mutates.Should().HaveCount(2);
        mutates[0]["mutations"]!.AsArray().Select(m => (string?)m![0]).Should().Equal("external_ids");
        mutates[1]["mutations"]!.AsArray().Select(m => (string?)m![0])
            .Should().Equal("external_ids", "select_src_port", "select_dst_port", "output_port");
    }

    public static TheoryData<string, string> Undecidable => new()
    {
        { "no entry of this attachment", PortLocator.Key(Other, "m1") + "=" + SrcRecord(P) },
        { "an entry that needs the mirror's records", PortLocator.Key(Id, "m1") + "=" + PortLocator.FullRead },
        { "a record of another port's uuid", PortLocator.Key(Id, "m1") + "=" + SrcRecord(Uuid(9)) },
        { "a value this version cannot read", PortLocator.Key(Id, "m1") + "=v7;something" },
    };

    [Theory]
    [MemberData(nameof(Undecidable))]
    public void Del_LeavesItToTheFullRead_WhenTheEntriesCannotDecide(string why, string entry)
    {
        var eq = entry.IndexOf('=', PortLocator.KeyPrefix.Length);
        var port = PortWith(P, (entry[..eq], entry[(eq + 1)..]));

        LocatedDetachPlanner.Plan(port, Id, Bridge).Should().BeNull(why);
    }

    [Fact]
    public void Del_OfTwoMirrors_OneFullRead_LeavesAllToTheFullRead()
    {
        var port = PortWith(P, (PortLocator.Key(Id, "m1"), SrcRecord(P)), (PortLocator.Key(Id, "remote"), PortLocator.FullRead));

        LocatedDetachPlanner.Plan(port, Id, Bridge).Should().BeNull("one DEL is one transaction, and the remote mirror's needs the full read");
    }
}
