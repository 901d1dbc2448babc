using OvsMirror.Cni;

namespace OvsMirror.Mirroring.Tests.Config;

/// <summary>
/// Every bad input is a CNI error with code 7 (CNI SPEC §Error: invalid network config) whose message names the
/// offending key by path (DESIGN §2, §6 "Errors").
/// </summary>
public sealed class InvalidConfigTests
{
    [Theory]
    // bridge: required non-empty string.
    [InlineData("""{}""", "bridge is required")]
    [InlineData("""{"bridge":null}""", "bridge is required")]
    [InlineData("""{"bridge":""}""", "bridge must not be empty")]
    [InlineData("""{"bridge":42}""", "bridge must be a string")]
    [InlineData("""{"bridge":["br1"]}""", "bridge must be a string")]
    // socket_file: OvsdbEndpoint forms.
    [InlineData("""{"bridge":"br1","socket_file":5}""", "socket_file must be a string")]
    [InlineData("""{"bridge":"br1","socket_file":""}""", "socket_file is empty")]
    [InlineData("""{"bridge":"br1","socket_file":"tcp:ovsdb"}""", "socket_file has no port")]
    [InlineData("""{"bridge":"br1","socket_file":"tcp:127.0.0.1:0"}""", "socket_file has a port outside 1-65535")]
    [InlineData("""{"bridge":"br1","socket_file":"ssl:127.0.0.1:6640"}""", "socket_file is not unix:PATH or tcp:HOST:PORT")]
    [InlineData("""{"bridge":"br1","socket_file":"unix:"}""", "socket_file has no socket path")]
    [InlineData("""{"bridge":"br1","socket_file":"tcp:::1:6640"}""", "socket_file: write an IPv6 address in brackets")]
    // The pod-args policy keys.
    [InlineData("""{"bridge":"br1","allowPodArgs":"true"}""", "allowPodArgs must be a boolean")]
    [InlineData("""{"bridge":"br1","allowPodArgs":1}""", "allowPodArgs must be a boolean")]
    [InlineData("""{"bridge":"br1","allowedPodMirrors":"mirror-1"}""", "allowedPodMirrors must be an array")]
    [InlineData("""{"bridge":"br1","allowedPodMirrors":[]}""", "allowedPodMirrors must not be empty")]
    [InlineData("""{"bridge":"br1","allowedPodMirrors":["a",""]}""", "allowedPodMirrors[1] must not be empty")]
    [InlineData("""{"bridge":"br1","allowedPodMirrors":[7]}""", "allowedPodMirrors[0] must be a string")]
    [InlineData("""{"bridge":"br1","allowedPodMirrors":["ids-*-x"]}""", "allowedPodMirrors[0]: '*' may only end a pattern")]
    [InlineData("""{"bridge":"br1","allowedPodRoles":"producer"}""", "allowedPodRoles must be an array")]
    [InlineData("""{"bridge":"br1","allowedPodRoles":[]}""", "allowedPodRoles must not be empty")]
    [InlineData("""{"bridge":"br1","allowedPodRoles":["producer","admin"]}""", "allowedPodRoles[1]: \"admin\" is not one of producer, consumer")]
    [InlineData("""{"bridge":"br1","allowedPodRoles":[true]}""", "allowedPodRoles[0] must be a string")]
    // The tuning keys.
    [InlineData("""{"bridge":"br1","flowRevalidation":"sometimes"}""", "flowRevalidation: \"sometimes\" is not one of purge, none")]
    [InlineData("""{"bridge":"br1","flowRevalidation":"Purge"}""", "flowRevalidation: \"Purge\" is not one of purge, none")]
    [InlineData("""{"bridge":"br1","flowRevalidation":false}""", "flowRevalidation must be a string")]
    [InlineData("""{"bridge":"br1","vswitchdCtl":""}""", "vswitchdCtl must not be empty")]
    [InlineData("""{"bridge":"br1","vswitchdCtl":1}""", "vswitchdCtl must be a string")]
    [InlineData("""{"bridge":"br1","timeoutMs":99}""", "timeoutMs: 99 is outside 100-120000")]
    [InlineData("""{"bridge":"br1","timeoutMs":120001}""", "timeoutMs: 120001 is outside 100-120000")]
    [InlineData("""{"bridge":"br1","timeoutMs":-1}""", "timeoutMs: -1 is outside 100-120000")]
    [InlineData("""{"bridge":"br1","timeoutMs":99999999999}""", "timeoutMs: 99999999999 is outside 100-120000")]
    [InlineData("""{"bridge":"br1","timeoutMs":1e30}""", "timeoutMs: 1E+30 is outside 100-120000")]
    [InlineData("""{"bridge":"br1","timeoutMs":1000.5}""", "timeoutMs must be an integer")]
    [InlineData("""{"bridge":"br1","timeoutMs":"1000"}""", "timeoutMs must be an integer")]
    // mirrors and its entries.
    [InlineData("""{"bridge":"br1","mirrors":{}}""", "mirrors must be an array")]
    [InlineData("""{"bridge":"br1","mirrors":"mirror-1"}""", "mirrors must be an array")]
    [InlineData("""{"bridge":"br1","mirrors":["mirror-1"]}""", "mirrors[0] must be an object")]
    [InlineData("""{"bridge":"br1","mirrors":[null]}""", "mirrors[0] must be an object")]
    [InlineData("""{"bridge":"br1","mirrors":[{"selection":["src_port"]}]}""", "mirrors[0].name is required")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"","selection":["src_port"]}]}""", "mirrors[0].name must not be empty")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":5,"selection":["src_port"]}]}""", "mirrors[0].name must be a string")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"],"output":"port"}]}""", "mirrors[0] has both selection and output; a mirror entry is either a source or the output")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m"}]}""", "mirrors[0] needs selection (to be a source of the mirror) or output (to be its output)")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":null,"output":null}]}""", "mirrors[0] needs selection")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":"src_port"}]}""", "mirrors[0].selection must be an array of strings")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":[]}]}""", "mirrors[0].selection must not be empty")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_prot"]}]}""", "mirrors[0].selection[0]: \"src_prot\" is not one of src_port, dst_port, all, vlan")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["SRC_PORT"]}]}""", "mirrors[0].selection[0]: \"SRC_PORT\" is not one of")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port",1]}]}""", "mirrors[0].selection[1] must be a string")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"]},{"name":"n","selection":["vlan"],"vlans":[5000]}]}""", "mirrors[1].vlans[0]: 5000 is outside 0-4095")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["vlan"],"vlans":[-1]}]}""", "mirrors[0].vlans[0]: -1 is outside 0-4095")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["vlan"],"vlans":[100,4096]}]}""", "mirrors[0].vlans[1]: 4096 is outside 0-4095")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["vlan"],"vlans":["100"]}]}""", "mirrors[0].vlans[0] must be an integer")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["vlan"],"vlans":[1.5]}]}""", "mirrors[0].vlans[0] must be an integer")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["vlan"],"vlans":100}]}""", "mirrors[0].vlans must be an array")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["vlan"],"vlans":[]}]}""", "mirrors[0].vlans must not be empty")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"],"vlans":[100]}]}""", "mirrors[0].vlans needs \"vlan\" in mirrors[0].selection")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"port","vlans":[100]}]}""", "mirrors[0].vlans is only for an entry with \"vlan\" in selection")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"mirror"}]}""", "mirrors[0].output: \"mirror\" is not one of port (SPAN), vlan (RSPAN)")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":1}]}""", "mirrors[0].output must be a string")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":["port"]}]}""", "mirrors[0].output must be a string")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"vlan","outputVlan":0}]}""", "mirrors[0].outputVlan: 0 is outside 1-4095")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"vlan","outputVlan":4096}]}""", "mirrors[0].outputVlan: 4096 is outside 1-4095")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"vlan","outputVlan":"999"}]}""", "mirrors[0].outputVlan must be an integer")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"port","outputVlan":999}]}""", "mirrors[0].outputVlan is only for an entry with output \"vlan\"")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"],"outputVlan":999}]}""", "mirrors[0].outputVlan is only for an entry with output \"vlan\"")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"],"snaplen":13}]}""", "mirrors[0].snaplen: 13 is outside 14-65535")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"port","snaplen":65536}]}""", "mirrors[0].snaplen: 65536 is outside 14-65535")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"port","snaplen":"128"}]}""", "mirrors[0].snaplen must be an integer")]
    // Typos are not silently ignored.
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selections":["src_port"]}]}""", "mirrors[0].selections is not a known key of a mirror entry")]
    [InlineData("""{"bridge":"br1","mirrors":[{"nmae":"m","output":"port"}]}""", "mirrors[0].nmae is not a known key of a mirror entry")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"port","outputvlan":5}]}""", "mirrors[0].outputvlan is not a known key of a mirror entry")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"port","odd key":5}]}""", "mirrors[0] has a key that a mirror entry does not know")]
    // ovs-cni's keys get a hint (DESIGN §2).
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","ingress":true}]}""", "mirrors[0].ingress is the ovs-cni ovs-mirror-producer schema; with type ovs-mirror write \"selection\": [\"src_port\"]")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"],"egress":true}]}""", "mirrors[0].egress is the ovs-cni ovs-mirror-producer schema")]
    // Merging (DESIGN §2: one attachment is never source and output of the same mirror).
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"]},{"name":"m","output":"port"}]}""", "mirror m: one attachment cannot be both source and output of the same mirror")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"port"},{"name":"m","selection":["all"]}]}""", "mirror m: one attachment cannot be both source and output of the same mirror")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"port"},{"name":"m","output":"vlan"}]}""", "mirror m: two output entries differ in output, outputVlan or snaplen")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"vlan"},{"name":"m","output":"vlan","outputVlan":9}]}""", "mirror m: two output entries differ")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","output":"port","snaplen":64},{"name":"m","output":"port"}]}""", "mirror m: two output entries differ")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"],"snaplen":64},{"name":"m","selection":["dst_port"],"snaplen":128}]}""", "mirror m: entries give different snaplen values (64 and 128)")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["vlan"]},{"name":"m","selection":["vlan"],"vlans":[100]}]}""", "mirror m: one entry selects the VLAN of the pod's own port and another lists vlans")]
    // args and args.cni (Multus puts the pod's cni-args at args.cni).
    [InlineData("""{"bridge":"br1","args":"cni"}""", "args must be an object")]
    [InlineData("""{"bridge":"br1","args":{"cni":"mirrors"}}""", "args.cni must be an object")]
    [InlineData("""{"bridge":"br1","args":{"cni":[]}}""", "args.cni must be an object")]
    [InlineData("""{"bridge":"br1","allowPodArgs":true,"args":{"cni":{"mirrors":{}}}}""", "args.cni.mirrors must be an array")]
    [InlineData("""{"bridge":"br1","allowPodArgs":true,"args":{"cni":{"mirrors":[{"name":"","output":"port"}]}}}""", "args.cni.mirrors[0].name must not be empty")]
    [InlineData("""{"bridge":"br1","allowPodArgs":true,"args":{"cni":{"mirrors":[{"name":"m","selection":["vlan"],"vlans":[5000]}]}}}""", "args.cni.mirrors[0].vlans[0]: 5000 is outside 0-4095")]
    [InlineData("""{"bridge":"br1","allowPodArgs":true,"args":{"cni":{"mirrors":[{"name":"m","selection":["src_port"],"output":"port"}]}}}""", "args.cni.mirrors[0] has both selection and output")]
    [InlineData("""{"bridge":"br1","allowPodArgs":true,"mirrors":[{"name":"m","selection":["src_port"]}],"args":{"cni":{"mirrors":[{"name":"m","output":"port"}]}}}""", "mirror m: one attachment cannot be both source and output of the same mirror")]
    public void InvalidConfig_IsCode7_NamingTheKey(string config, string expectedMessage)
    {
        var error = TestConfig.Fail(config);

        error.Code.Should().Be(CniErrorCode.InvalidNetworkConfig);
        error.Message.Should().Contain(expectedMessage);
    }

    public static TheoryData<string, string> NamesOverLimit() => new()
    {
        { new string('m', 256), "256 ASCII bytes" },
        { new string('€', 85) + "m", "85 three-byte characters and one ASCII byte" },
        { string.Concat(Enumerable.Repeat("😀", 64)), "64 four-byte characters, only 128 UTF-16 chars" },
        { new string('é', 128), "128 two-byte characters" },
    };

    [Theory]
    [MemberData(nameof(NamesOverLimit))]
    public void Name_OverUtf8ByteLimit_IsCode7(string name, string because)
    {
        var error = TestConfig.Fail($$"""{"bridge":"br1","mirrors":[{"name":"{{name}}","output":"port"}]}""");

        error.Code.Should().Be(CniErrorCode.InvalidNetworkConfig, because);
        error.Message.Should().Be("mirrors[0].name is longer than 255 bytes of UTF-8", because);
    }

    [Fact]
    public void Name_OverLimit_InPodArgs_NamesThePodPath()
    {
        var error = TestConfig.Fail(
            """{"bridge":"br1","allowPodArgs":true}""",
            $$"""{"mirrors":[{"name":"{{new string('x', 256)}}","output":"port"}]}""");

        error.Code.Should().Be(CniErrorCode.InvalidNetworkConfig);
        error.Message.Should().Be("args.cni.mirrors[0].name is longer than 255 bytes of UTF-8");
    }
}
