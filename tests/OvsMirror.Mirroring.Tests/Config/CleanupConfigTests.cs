using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;

namespace OvsMirror.Mirroring.Tests.Config;

/// <summary>
/// DEL, STATUS and GC read only what reaching OVSDB needs: a mirror entry or a pod request that ADD would refuse must
/// not make cleanup fail (CNI SPEC §DEL).
/// </summary>
public sealed class CleanupConfigTests
{
    [Theory]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"m","selection":["src_port"],"output":"port"}]}""")]
    [InlineData("""{"bridge":"br1","mirrors":"not an array","allowPodArgs":"yes","allowedPodRoles":[1]}""")]
    [InlineData("""{"bridge":"br1","args":{"cni":{"mirrors":[{"name":"m","output":"port"}]}}}""")]
    public void Cleanup_IgnoresMirrorsAndPodArgs(string config)
    {
        var parsed = PluginConfigParser.ParseForCleanup(TestConfig.Raw(config), "ovs-mirror", "ovs-mirror");

        parsed.Bridge.Should().Be("br1");
        parsed.Mirrors.Should().BeEmpty();
        parsed.PodArgsPolicy.AllowPodArgs.Should().BeFalse();
    }

    [Fact]
    public void Cleanup_ReadsTheConnectionKeys()
    {
        var raw = TestConfig.Raw(
            """{"bridge":"br2","socket_file":"tcp:10.0.0.1:6640","flowRevalidation":"none","vswitchdCtl":"/run/ovs.ctl","timeoutMs":300}""");
        var config = new NetworkConfig { CniVersion = "1.0.0", Name = "net1", Type = "ovs-mirror", Raw = raw };

        var parsed = PluginConfigParser.ParseForCleanup(config, "ovs-mirror");

        parsed.Bridge.Should().Be("br2");
        parsed.Endpoint.ToString().Should().Be("tcp:10.0.0.1:6640");
        parsed.FlowRevalidation.Should().Be(FlowRevalidation.None);
        parsed.VswitchdCtl.Should().Be("/run/ovs.ctl");
        parsed.Timeout.Should().Be(TimeSpan.FromMilliseconds(300));
        parsed.OvsCniCompat.Should().BeFalse();
    }

    [Theory]
    [InlineData("""{}""", "bridge is required")]
    [InlineData("""{"bridge":"br1","socket_file":"tcp:x"}""", "socket_file has no port; expected tcp:HOST:PORT")]
    [InlineData("""{"bridge":"br1","timeoutMs":5}""", "timeoutMs: 5 is outside 100-120000")]
    [InlineData("""{"bridge":"br1","flowRevalidation":"later"}""", "flowRevalidation: \"later\" is not one of purge, none")]
    public void Cleanup_WithoutAWayToOvsdb_IsCode7(string config, string expected)
    {
        var act = () => PluginConfigParser.ParseForCleanup(TestConfig.Raw(config), "ovs-mirror", "ovs-mirror");

        var error = act.Should().ThrowExactly<CniException>().Which;
        error.Code.Should().Be(CniErrorCode.InvalidNetworkConfig);
        error.Message.Should().Be(expected);
    }

    [Theory]
    [InlineData("ovs-mirror-producer", "ovs-mirror")]
    [InlineData("ovs-mirror", "ovs-mirror-consumer")]
    public void Cleanup_OfAnOvsCniConfig_TakesItsEmptySocketFileAsTheDefault(string program, string type)
    {
        var parsed = PluginConfigParser.ParseForCleanup(TestConfig.Raw("""{"bridge":"br1","socket_file":""}""", type), type, program);

        parsed.OvsCniCompat.Should().BeTrue();
        parsed.Endpoint.ToString().Should().Be(PluginConfig.DefaultSocketFile);
    }
}
