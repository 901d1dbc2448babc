using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;

namespace OvsMirror.Mirroring.Tests.Config;

/// <summary>Every valid form of the ovs-mirror schema (DESIGN §2) and what it parses to, in README notation.</summary>
public sealed class ValidConfigTests
{
    [Theory]
    // A NAD of the cni-args approach has no mirrors (proposal §2).
    [InlineData("""{"bridge":"br1"}""", "none")]
    [InlineData("""{"bridge":"br1","mirrors":[]}""", "none")]
    [InlineData("""{"bridge":"br1","mirrors":null}""", "none")]
    // Both spellings of the proposal mean the same (DESIGN §2).
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"]}]}""", "m producer src_port")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src-port"]}]}""", "m producer src_port")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["dst_port"]}]}""", "m producer dst_port")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["dst-port"]}]}""", "m producer dst_port")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port","src-port"]}]}""", "m producer src_port")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["dst-port","src_port"]}]}""", "m producer src_port+dst_port")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["all"]}]}""", "m producer all")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["vlan"]}]}""", "m producer vlan")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["all","vlan"],"vlans":[200,100,100]}]}""", "m producer all+vlan vlans=100,200")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["vlan"],"vlans":[0,4095]}]}""", "m producer vlan vlans=0,4095")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["vlan"],"vlans":[100.0]}]}""", "m producer vlan vlans=100")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port","dst_port","all","vlan"]}]}""", "m producer src_port+dst_port+all+vlan")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"],"snaplen":14}]}""", "m producer src_port snaplen=14")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"],"snaplen":65535}]}""", "m producer src_port snaplen=65535")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"],"vlans":null}]}""", "m producer src_port")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"port"}]}""", "m consumer port")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"port","snaplen":128}]}""", "m consumer port snaplen=128")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"vlan"}]}""", "m consumer vlan")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"vlan","outputVlan":1}]}""", "m consumer vlan outputVlan=1")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"vlan","outputVlan":4095}]}""", "m consumer vlan outputVlan=4095")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"port","selection":null}]}""", "m consumer port")]
    // Several mirrors keep their order.
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"b","selection":["src_port"]},{"name":"a","output":"port"}]}""", "b producer src_port; a consumer port")]
    public void ValidConfig_ParsesToTheseMirrors(string config, string expected)
    {
        var parsed = TestConfig.Parse(config);

        MirrorDescription.Of(parsed.Mirrors).Should().Be(expected);
        parsed.Mirrors.Select(m => m.Source).Should().NotContain(ConfigSource.PodArgs);
        parsed.OvsCniCompat.Should().BeFalse();
    }

    public static TheoryData<string> NamesOf255Bytes() => new()
    {
        new string('m', 255),
        new string('€', 85), // 3 UTF-8 bytes each
        string.Concat(Enumerable.Repeat("😀", 63)) + "abc", // 4 UTF-8 bytes each (2 UTF-16 chars)
    };

    [Theory]
    [MemberData(nameof(NamesOf255Bytes))]
    public void Name_Of255Utf8Bytes_IsAccepted(string name)
    {
        var parsed = TestConfig.Parse($$"""{"bridge":"br1","mirrors":[{"name":"{{name}}","output":"port"}]}""");

        parsed.Mirrors.Should().ContainSingle().Which.Name.Should().Be(name);
    }

    [Theory]
    // DESIGN §2: entries of one attachment that name the same mirror are merged.
    [InlineData("""[{"name":"m","selection":["src_port"]},{"name":"m","selection":["dst-port"]}]""", "m producer src_port+dst_port")]
    [InlineData("""[{"name":"m","selection":["vlan"],"vlans":[300]},{"name":"m","selection":["vlan"],"vlans":[100,300]}]""", "m producer vlan vlans=100,300")]
    [InlineData("""[{"name":"m","selection":["vlan"],"vlans":[100]},{"name":"m","selection":["src_port"]}]""", "m producer src_port+vlan vlans=100")]
    [InlineData("""[{"name":"m","selection":["vlan"]},{"name":"m","selection":["all","vlan"]}]""", "m producer all+vlan")]
    [InlineData("""[{"name":"m","selection":["src_port"]},{"name":"m","selection":["dst_port"],"snaplen":128}]""", "m producer src_port+dst_port snaplen=128")]
    [InlineData("""[{"name":"m","selection":["src_port"],"snaplen":128},{"name":"m","selection":["dst_port"],"snaplen":128}]""", "m producer src_port+dst_port snaplen=128")]
    [InlineData("""[{"name":"m","output":"port"},{"name":"m","output":"port"}]""", "m consumer port")]
    [InlineData("""[{"name":"m","output":"vlan","outputVlan":999},{"name":"m","output":"vlan","outputVlan":999}]""", "m consumer vlan outputVlan=999")]
    [InlineData("""[{"name":"a","selection":["src_port"]},{"name":"b","selection":["src_port"]},{"name":"a","selection":["dst_port"]}]""", "a producer src_port+dst_port; b producer src_port")]
    public void DuplicateNames_AreMergedInOrderOfFirstAppearance(string mirrors, string expected)
    {
        var parsed = TestConfig.Parse($$"""{"bridge":"br1","mirrors":{{mirrors}}}""");

        MirrorDescription.Of(parsed.Mirrors).Should().Be(expected);
    }

    [Fact]
    public void AbsentKeys_TakeTheirDefaults()
    {
        var parsed = TestConfig.Parse("""{"bridge":"br1"}""");

        parsed.Bridge.Should().Be("br1");
        parsed.Endpoint.ToString().Should().Be("unix:/var/run/openvswitch/db.sock");
        parsed.PodArgsPolicy.AllowPodArgs.Should().BeFalse();
        parsed.PodArgsPolicy.AllowedMirrors.Should().BeNull();
        parsed.PodArgsPolicy.AllowedRoles.Should().BeNull();
        parsed.FlowRevalidation.Should().Be(FlowRevalidation.Purge);
        parsed.VswitchdCtl.Should().BeNull();
        parsed.Timeout.Should().Be(TimeSpan.FromSeconds(10));
        parsed.OvsCniCompat.Should().BeFalse();
        parsed.Mirrors.Should().BeEmpty();
    }

    [Fact]
    public void NullKeys_AreAbsent()
    {
        var parsed = TestConfig.Parse(
            """{"bridge":"br1","socket_file":null,"allowPodArgs":null,"allowedPodMirrors":null,"allowedPodRoles":null,"flowRevalidation":null,"vswitchdCtl":null,"timeoutMs":null,"args":null}""");

        parsed.Endpoint.ToString().Should().Be(PluginConfig.DefaultSocketFile);
        parsed.PodArgsPolicy.AllowPodArgs.Should().BeFalse();
        parsed.FlowRevalidation.Should().Be(FlowRevalidation.Purge);
        parsed.Timeout.Should().Be(PluginConfig.DefaultTimeout);
    }

    [Fact]
    public void EveryTopLevelKey_IsRead()
    {
        var parsed = TestConfig.Parse(
            """
            { "bridge": "br-ex", "socket_file": "tcp:127.0.0.1:6640", "allowPodArgs": true,
              "allowedPodMirrors": ["mirror-1", "ids-*"], "allowedPodRoles": ["consumer"],
              "flowRevalidation": "none", "vswitchdCtl": "/var/run/openvswitch/ovs-vswitchd.123.ctl", "timeoutMs": 2500 }
            """);

        parsed.Bridge.Should().Be("br-ex");
        parsed.Endpoint.Kind.Should().Be(OvsMirror.Ovsdb.OvsdbEndpointKind.Tcp);
        parsed.Endpoint.Host.Should().Be("127.0.0.1");
        parsed.Endpoint.Port.Should().Be(6640);
        parsed.PodArgsPolicy.AllowPodArgs.Should().BeTrue();
        parsed.PodArgsPolicy.AllowedMirrors.Should().Equal("mirror-1", "ids-*");
        parsed.PodArgsPolicy.AllowedRoles.Should().Equal(MirrorRole.Consumer);
        parsed.FlowRevalidation.Should().Be(FlowRevalidation.None);
        parsed.VswitchdCtl.Should().Be("/var/run/openvswitch/ovs-vswitchd.123.ctl");
        parsed.Timeout.Should().Be(TimeSpan.FromMilliseconds(2500));
    }

    [Theory]
    [InlineData("unix:/var/run/openvswitch/db.sock", "unix:/var/run/openvswitch/db.sock")]
    [InlineData("/run/openvswitch/db.sock", "unix:/run/openvswitch/db.sock")]
    [InlineData("tcp:[::1]:6640", "tcp:[::1]:6640")]
    [InlineData("tcp:ovsdb.example:6641", "tcp:ovsdb.example:6641")]
    public void SocketFile_AcceptsTheOvsCniForms(string socketFile, string expected)
    {
        var parsed = TestConfig.Parse($$"""{"bridge":"br1","socket_file":"{{socketFile}}"}""");

        parsed.Endpoint.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("100", 100)]
    [InlineData("120000", 120000)]
    [InlineData("1e3", 1000)]
    [InlineData("1000.0", 1000)]
    public void TimeoutMs_IsAnIntegralNumberInRange(string timeoutMs, int expectedMs)
    {
        var parsed = TestConfig.Parse($$"""{"bridge":"br1","timeoutMs":{{timeoutMs}}}""");

        parsed.Timeout.Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public void UnknownTopLevelKeys_AreTolerated()
    {
        // CNI configs carry keys for the runtime and other plugins (CNI SPEC §Section 1, §Section 3).
        var parsed = TestConfig.Parse(
            """
            { "bridge": "br1", "ipam": {"type": "static"}, "capabilities": {"mac": true},
              "runtimeConfig": {"mac": "00:11:22:33:44:55"}, "prevResult": {"cniVersion": "1.0.0"},
              "vlan": 100, "configuration_path": "/etc/ovs.conf", "mirrors": [{"name": "m", "output": "port"}] }
            """);

        MirrorDescription.Of(parsed.Mirrors).Should().Be("m consumer port");
    }

    [Fact]
    public void ParseFromNetworkConfig_ReadsArgsObject()
    {
        var raw = TestConfig.Raw("""{"bridge":"br1","allowPodArgs":true,"args":{"cni":{"mirrors":[{"name":"m","output":"port"}]}}}""");
        var config = new OvsMirror.Cni.NetworkConfig
        {
            CniVersion = "1.0.0",
            Name = "net1",
            Type = "ovs-mirror",
            Raw = raw,
            ArgsObject = raw["args"]!.AsObject(),
        };

        var parsed = PluginConfigParser.Parse(config, "/opt/cni/bin/ovs-mirror");

        MirrorDescription.Of(parsed.Mirrors).Should().Be("m consumer port");
        parsed.Mirrors[0].Source.Should().Be(ConfigSource.PodArgs);
    }
}
