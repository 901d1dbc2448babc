using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;

namespace OvsMirror.Mirroring.Tests.Config;

/// <summary>
/// DESIGN §2, ovs-cni compatibility: configs written for ovs-cni's ovs-mirror-producer ({name, ingress, egress}) and
/// ovs-mirror-consumer ({name}) work unchanged when the binary runs under those names or the type says so.
/// </summary>
public sealed class OvsCniCompatTests
{
    [Theory]
    // Selected by the program name (argv[0], a symlink), by its basename, or by the config's type.
    [InlineData("ovs-mirror", "ovs-mirror-producer", """[{"name":"mirror-1","ingress":true,"egress":true}]""", "mirror-1 producer src_port+dst_port")]
    [InlineData("ovs-mirror-producer", "ovs-mirror", """[{"name":"mirror-1","ingress":true,"egress":true}]""", "mirror-1 producer src_port+dst_port")]
    [InlineData("/opt/cni/bin/ovs-mirror-producer", "ovs-mirror-producer", """[{"name":"mirror-1","ingress":true}]""", "mirror-1 producer src_port")]
    [InlineData("ovs-mirror-producer", "ovs-mirror-producer", """[{"name":"mirror-1","ingress":true,"egress":false}]""", "mirror-1 producer src_port")]
    [InlineData("ovs-mirror-producer", "ovs-mirror-producer", """[{"name":"mirror-1","egress":true}]""", "mirror-1 producer dst_port")]
    [InlineData("ovs-mirror-producer", "ovs-mirror-producer", """[{"name":"mirror-1","ingress":null,"egress":true}]""", "mirror-1 producer dst_port")]
    [InlineData("ovs-mirror-producer", "ovs-mirror-producer", """[{"name":"a","ingress":true},{"name":"b","egress":true},{"name":"a","egress":true}]""", "a producer src_port+dst_port; b producer dst_port")]
    [InlineData("ovs-mirror-producer", "ovs-mirror-producer", """[]""", "none")]
    [InlineData("ovs-mirror", "ovs-mirror-consumer", """[{"name":"mirror-1"}]""", "mirror-1 consumer port")]
    [InlineData("ovs-mirror-consumer", "ovs-mirror", """[{"name":"mirror-1"}]""", "mirror-1 consumer port")]
    [InlineData("/usr/libexec/cni/ovs-mirror-consumer", "ovs-mirror-consumer", """[{"name":"mirror-1"},{"name":"mirror-2"}]""", "mirror-1 consumer port; mirror-2 consumer port")]
    // ovs-cni reads both plugins' entries into one struct, so a consumer entry may carry ingress/egress.
    [InlineData("ovs-mirror-consumer", "ovs-mirror-consumer", """[{"name":"mirror-1","ingress":true,"egress":false}]""", "mirror-1 consumer port")]
    [InlineData("ovs-mirror-consumer", "ovs-mirror-consumer", """[{"name":"mirror-1"},{"name":"mirror-1"}]""", "mirror-1 consumer port")]
    public void OvsCniSchema_ParsesLikeOvsCni(string program, string type, string mirrors, string expected)
    {
        var parsed = TestConfig.Parse($$"""{"bridge":"br1","mirrors":{{mirrors}}}""", type: type, program: program);

        MirrorDescription.Of(parsed.Mirrors).Should().Be(expected);
        parsed.OvsCniCompat.Should().BeTrue();
        parsed.Endpoint.ToString().Should().Be(PluginConfig.DefaultSocketFile);
    }

    [Theory]
    [InlineData("unix:/run/openvswitch/db.sock", "unix:/run/openvswitch/db.sock")]
    [InlineData("/run/openvswitch/db.sock", "unix:/run/openvswitch/db.sock")]
    // ovs-cni takes an empty socket_file as its default.
    [InlineData("", "unix:/var/run/openvswitch/db.sock")]
    public void OvsCniSchema_ReadsSocketFileLikeOvsCni(string socketFile, string expected)
    {
        var parsed = TestConfig.Parse(
            $$"""{"bridge":"br1","socket_file":"{{socketFile}}","mirrors":[{"name":"m","ingress":true}]}""",
            program: "ovs-mirror-producer");

        parsed.Endpoint.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("ovs-mirror-producer", """{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"]}]}""", "mirrors[0].selection is not part of the ovs-cni ovs-mirror-producer schema ({name, ingress, egress}); use type ovs-mirror for selection and output")]
    [InlineData("ovs-mirror-producer", """{"bridge":"br1","mirrors":[{"name":"m","ingress":true,"output":"port"}]}""", "mirrors[0].output is not part of the ovs-cni ovs-mirror-producer schema")]
    [InlineData("ovs-mirror-producer", """{"bridge":"br1","mirrors":[{"name":"m","ingress":true,"snaplen":128}]}""", "mirrors[0].snaplen is not part of the ovs-cni ovs-mirror-producer schema")]
    [InlineData("ovs-mirror-consumer", """{"bridge":"br1","mirrors":[{"name":"m","output":"port"}]}""", "mirrors[0].output is not part of the ovs-cni ovs-mirror-consumer schema")]
    [InlineData("ovs-mirror-consumer", """{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"]}]}""", "mirrors[0].selection is not part of the ovs-cni ovs-mirror-consumer schema")]
    [InlineData("ovs-mirror-producer", """{"bridge":"br1","mirrors":[{"name":"m","ingres":true}]}""", "mirrors[0].ingres is not a known key of a mirror entry")]
    [InlineData("ovs-mirror-producer", """{"bridge":"br1","mirrors":[{"name":"m"}]}""", "mirrors[0] needs ingress or egress set to true, or it selects nothing")]
    [InlineData("ovs-mirror-producer", """{"bridge":"br1","mirrors":[{"name":"m","ingress":false,"egress":false}]}""", "mirrors[0] needs ingress or egress set to true")]
    [InlineData("ovs-mirror-producer", """{"bridge":"br1","mirrors":[{"name":"m","ingress":"true"}]}""", "mirrors[0].ingress must be a boolean")]
    [InlineData("ovs-mirror-consumer", """{"bridge":"br1","mirrors":[{"name":"m","egress":1}]}""", "mirrors[0].egress must be a boolean")]
    [InlineData("ovs-mirror-producer", """{"bridge":"br1","mirrors":[{"name":"","ingress":true}]}""", "mirrors[0].name must not be empty")]
    [InlineData("ovs-mirror-consumer", """{"bridge":"br1","mirrors":[{}]}""", "mirrors[0].name is required")]
    [InlineData("ovs-mirror-producer", """{"mirrors":[{"name":"m","ingress":true}]}""", "bridge is required")]
    [InlineData("ovs-mirror-consumer", """{"bridge":"br1","socket_file":"tcp:ovsdb"}""", "socket_file has no port")]
    [InlineData("ovs-mirror-producer", """{"bridge":"br1","allowPodArgs":true}""", "allowPodArgs is not part of the ovs-cni ovs-mirror-producer schema: ovs-cni takes no cni-args")]
    public void OvsCniSchema_InvalidInput_IsCode7(string program, string config, string expected)
    {
        var error = TestConfig.Fail(config, type: program, program: program);

        error.Code.Should().Be(CniErrorCode.InvalidNetworkConfig);
        error.Message.Should().Contain(expected);
    }

    [Theory]
    [InlineData("ovs-mirror-producer", "ovs-mirror-consumer", "type ovs-mirror-consumer does not match the program name ovs-mirror-producer")]
    [InlineData("ovs-mirror-consumer", "ovs-mirror-producer", "type ovs-mirror-producer does not match the program name ovs-mirror-consumer")]
    public void ProgramAndType_NamingDifferentOvsCniPlugins_IsCode7(string program, string type, string expected)
    {
        var error = TestConfig.Fail("""{"bridge":"br1","mirrors":[{"name":"m"}]}""", type: type, program: program);

        error.Code.Should().Be(CniErrorCode.InvalidNetworkConfig);
        error.Message.Should().Be(expected);
    }

    [Theory]
    [InlineData("ovs-mirror-producer")]
    [InlineData("ovs-mirror-consumer")]
    public void OvsCniSchema_RefusesPodArgsWith101(string program)
    {
        // ovs-cni had no cni-args: a pod asking for mirrors there is refused, never ignored.
        var error = TestConfig.Fail(
            """{"bridge":"br1"}""", """{"mirrors":[{"name":"m","ingress":true}]}""", type: program, program: program);

        error.Code.Should().Be(PluginErrorCode.PodArgsNotAllowed);
        error.Message.Should().Be(
            $"the pod asked for mirrors through cni-args (args.cni.mirrors) but {program} (the ovs-cni schema) takes no cni-args");
    }

    [Theory]
    [InlineData("ovs-mirror", "ovs-mirror")]
    [InlineData("/opt/cni/bin/ovs-mirror", "ovs-mirror")]
    [InlineData("ovs-mirror-producer-v2", "ovs-mirror")]
    [InlineData("ovs-mirror", "my-ovs-mirror-producer")]
    public void OtherNames_UseTheOvsMirrorSchema(string program, string type)
    {
        var parsed = TestConfig.Parse(
            """{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"]}]}""", type: type, program: program);

        parsed.OvsCniCompat.Should().BeFalse();
        MirrorDescription.Of(parsed.Mirrors).Should().Be("m producer src_port");
    }
}
