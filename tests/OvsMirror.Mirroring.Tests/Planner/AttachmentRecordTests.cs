using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;
using static OvsMirror.Mirroring.Tests.Planner.Snapshots;

namespace OvsMirror.Mirroring.Tests.Planner;

/// <summary>The record an attachment leaves in Mirror:external_ids, its key, and how a request resolves to it.</summary>
public sealed class AttachmentRecordTests
{
    private static readonly Guid P = Uuid(1);

    public static TheoryData<string, string> Records => new()
    {
        { "producer src,dst", $"v1;role=producer;net=net1;uuid={P};sel=src,dst;port=veth1" },
        { "producer all", $"v1;role=producer;net=net1;uuid={P};sel=all;port=veth1" },
        { "producer vlan", $"v1;role=producer;net=net1;uuid={P};sel=vlan;vlans=100,200;port=veth1" },
        { "consumer port", $"v1;role=consumer;net=net1;uuid={P};out=port;port=veth1" },
        { "consumer vlan", $"v1;role=consumer;net=net1;uuid={P};out=vlan;ovlan=999;port=veth1" },
    };

    private static AttachmentRecord Make(string kind, string portName = "veth1") => kind switch
    {
        "producer src,dst" => new(MirrorRole.Producer, Network, portName, P, MirrorSelection.SrcPort | MirrorSelection.DstPort, [], MirrorOutputKind.None, null),
        "producer all" => new(MirrorRole.Producer, Network, portName, P, MirrorSelection.All, [], MirrorOutputKind.None, null),
        "producer vlan" => new(MirrorRole.Producer, Network, portName, P, MirrorSelection.Vlan, [100, 200], MirrorOutputKind.None, null),
        "consumer port" => new(MirrorRole.Consumer, Network, portName, P, MirrorSelection.None, [], MirrorOutputKind.Port, null),
        _ => new(MirrorRole.Consumer, Network, portName, P, MirrorSelection.None, [], MirrorOutputKind.Vlan, 999),
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void Format_IsTheDocumentedText_AndParsesBackToTheSameRecord(string kind, string text)
    {
        var record = Make(kind);

        record.Format().Should().Be(text);
        var parsed = AttachmentRecord.TryParse(text);

        parsed.Should().NotBeNull();
        parsed.Should().BeEquivalentTo(record);
        parsed!.Format().Should().Be(text);
    }

    [Theory]
    [InlineData("veth;a=b")]
    [InlineData("x;port=y")]
    [InlineData("=;;=")]
    [InlineData(";port=")]
    [InlineData("päd-é")]
    public void PortNameWithSeparators_RoundTrips(string portName)
    {
        foreach (var kind in new[] { "producer vlan", "consumer vlan" })
        {
            var record = Make(kind, portName);

            var parsed = AttachmentRecord.TryParse(record.Format());

            parsed.Should().NotBeNull($"{record.Format()} must parse");
            parsed!.PortName.Should().Be(portName);
            parsed.Should().BeEquivalentTo(record);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("v2;role=producer;net=n;uuid=00000000-0000-0000-0000-000000000001;sel=src;port=p")]
    [InlineData("v1;role=producer;net=n;uuid=00000000-0000-0000-0000-000000000001;sel=src")]
    [InlineData("v1;role=spy;net=n;uuid=00000000-0000-0000-0000-000000000001;sel=src;port=p")]
    [InlineData("v1;net=n;uuid=00000000-0000-0000-0000-000000000001;sel=src;port=p")]
    [InlineData("v1;role=producer;net=n;uuid=not-a-uuid;sel=src;port=p")]
    [InlineData("v1;role=producer;net=n;sel=src;port=p")]
    [InlineData("v1;role=producer;net=n;uuid=00000000-0000-0000-0000-000000000001;vlans=1x;port=p")]
    [InlineData("v1;role=consumer;net=n;uuid=00000000-0000-0000-0000-000000000001;out=vlan;ovlan=-1;port=p")]
    [InlineData("v1;role=producer;junk;uuid=00000000-0000-0000-0000-000000000001;port=p")]
    public void NotARecordOfThisVersion_IsNull(string text) => AttachmentRecord.TryParse(text).Should().BeNull();

    /// <summary>Found by afl++ (target attachment-record): the prefix's ';' began ";port=", and parsing threw.</summary>
    [Theory]
    [InlineData("v1;port=")]
    [InlineData("v1;port=p;port=")]
    public void RecordOfOnlyThePortField_IsNull_NotAnException(string text) => AttachmentRecord.TryParse(text).Should().BeNull();

    [Fact]
    public void AttachmentId_KeyRoundTrips()
    {
        var id = new AttachmentId("0123abc_def.x-y", "net1");

        id.Key.Should().Be("ovs-mirror/a/0123abc_def.x-y/net1");
        AttachmentId.TryParseKey(id.Key, out var parsed).Should().BeTrue();
        parsed.Should().Be(id);
        id.ToString().Should().Be("0123abc_def.x-y/net1");
    }

    [Fact]
    public void AttachmentId_TheLastSlashSeparatesTheInterface()
    {
        AttachmentId.TryParseKey("ovs-mirror/a/a/b/eth1", out var id).Should().BeTrue();

        id.Should().Be(new AttachmentId("a/b", "eth1"));
    }

    [Theory]
    [InlineData("ovs-mirror/owner")]
    [InlineData("ovs-mirror/a/")]
    [InlineData("ovs-mirror/a/c1")]
    [InlineData("ovs-mirror/a//eth1")]
    [InlineData("ovs-mirror/a/c1/")]
    [InlineData("other/a/c1/eth1")]
    [InlineData("OVS-MIRROR/a/c1/eth1")]
    public void AttachmentId_OtherKeys_AreNotAttachments(string key)
    {
        AttachmentId.TryParseKey(key, out var id).Should().BeFalse();
        id.Should().Be(default(AttachmentId));
    }

    [Fact]
    public void VlanSelection_DefaultsToThePortsTag_AndExplicitVlansWin()
    {
        var tagged = Port(P, "veth1", tag: 100);

        RecordResolver.Resolve(Produce("m1", MirrorSelection.Vlan), Network, tagged).Vlans.Should().Equal(100);
        RecordResolver.Resolve(Produce("m1", MirrorSelection.Vlan, vlans: [200, 300]), Network, tagged).Vlans.Should().Equal(200, 300);
        RecordResolver.Resolve(Produce("m1", MirrorSelection.SrcPort), Network, tagged).Vlans.Should().BeEmpty();
    }

    [Fact]
    public void RspanOutput_DefaultsToThePortsTag_AndOutputVlanWins()
    {
        var tagged = Port(P, "veth1", tag: 998);

        RecordResolver.Resolve(Consume("m1", MirrorOutputKind.Vlan), Network, tagged).OutputVlan.Should().Be(998);
        RecordResolver.Resolve(Consume("m1", MirrorOutputKind.Vlan, 999), Network, tagged).OutputVlan.Should().Be(999);
        RecordResolver.Resolve(Consume("m1"), Network, tagged).OutputVlan.Should().BeNull();
    }

    [Theory]
    [InlineData("vlan", null)]
    [InlineData("output vlan", null)]
    [InlineData("output vlan", 0)]
    public void VlanWithoutAVlan_IsAnInvalidConfig(string what, int? tag)
    {
        var request = what == "vlan" ? Produce("m1", MirrorSelection.Vlan) : Consume("m1", MirrorOutputKind.Vlan);

        var act = () => RecordResolver.Resolve(request, Network, Port(P, "veth1", tag));

        act.Should().ThrowExactly<CniException>().Which.Code.Should().Be(CniErrorCode.InvalidNetworkConfig);
    }
}
