using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;

namespace OvsMirror.Mirroring.Tests.Config;

/// <summary>
/// DESIGN §1, cni-args approach: pod mirrors (args.cni.mirrors) are honoured only where the NAD sets allowPodArgs,
/// within its allowedPodMirrors and allowedPodRoles; a refused request is code 101, never silently dropped.
/// </summary>
public sealed class PodArgsTests
{
    private const string NotAllowedMessage =
        "the pod asked for mirrors through cni-args (args.cni.mirrors) but this network does not set allowPodArgs";

    [Theory]
    [InlineData("""{"bridge":"br1"}""", """{"mirrors":[{"name":"mirror-1","selection":["src-port"]}]}""")]
    [InlineData("""{"bridge":"br1","allowPodArgs":false}""", """{"mirrors":[{"name":"mirror-1","output":"port"}]}""")]
    [InlineData("""{"bridge":"br1","allowPodArgs":false}""", """{"mirrors":[]}""")]
    [InlineData("""{"bridge":"br1","allowPodArgs":false}""", """{"mirrors":"anything"}""")]
    [InlineData("""{"bridge":"br1","mirrors":[{"name":"mirror-1","selection":["src_port"]}]}""", """{"mirrors":[{"name":"mirror-1","selection":["src_port"]}]}""")]
    public void PodMirrors_WithoutAllowPodArgs_AreRefusedWith101(string config, string cniArgs)
    {
        var error = TestConfig.Fail(config, cniArgs);

        error.Code.Should().Be(PluginErrorCode.PodArgsNotAllowed);
        error.Message.Should().Be(NotAllowedMessage);
    }

    [Theory]
    [InlineData("""["mirror-1"]""", "mirror-2", "args.cni.mirrors[0]: mirror mirror-2 is not in allowedPodMirrors of this network")]
    [InlineData("""["mirror-1"]""", "mirror-10", "args.cni.mirrors[0]: mirror mirror-10 is not in allowedPodMirrors of this network")]
    [InlineData("""["ids-*"]""", "ids", "args.cni.mirrors[0]: mirror ids is not in allowedPodMirrors of this network")]
    [InlineData("""["ids-*"]""", "IDS-1", "args.cni.mirrors[0]: mirror IDS-1 is not in allowedPodMirrors of this network")]
    public void PodMirror_NotInAllowedPodMirrors_IsRefusedWith101(string allowed, string name, string expected)
    {
        var error = TestConfig.Fail(
            $$"""{"bridge":"br1","allowPodArgs":true,"allowedPodMirrors":{{allowed}}}""",
            $$"""{"mirrors":[{"name":"{{name}}","output":"port"}]}""");

        error.Code.Should().Be(PluginErrorCode.PodArgsNotAllowed);
        error.Message.Should().Be(expected);
    }

    [Fact]
    public void OneRefusedPodMirror_FailsTheWholeRequest_NamingIt()
    {
        var error = TestConfig.Fail(
            """{"bridge":"br1","allowPodArgs":true,"allowedPodMirrors":["mirror-1"]}""",
            """{"mirrors":[{"name":"mirror-1","selection":["src_port"]},{"name":"mirror-2","selection":["src_port"]}]}""");

        error.Code.Should().Be(PluginErrorCode.PodArgsNotAllowed);
        error.Message.Should().Be("args.cni.mirrors[1]: mirror mirror-2 is not in allowedPodMirrors of this network");
    }

    [Theory]
    [InlineData("""["mirror-1"]""", "mirror-1")]
    [InlineData("""["ids-*"]""", "ids-1")]
    [InlineData("""["ids-*"]""", "ids-")]
    [InlineData("""["mirror-1","ids-*"]""", "ids-sensor-west")]
    [InlineData("""["*"]""", "anything")]
    public void PodMirror_MatchingAllowedPodMirrors_IsAccepted(string allowed, string name)
    {
        var parsed = TestConfig.Parse(
            $$"""{"bridge":"br1","allowPodArgs":true,"allowedPodMirrors":{{allowed}}}""",
            $$"""{"mirrors":[{"name":"{{name}}","selection":["src_port"]}]}""");

        var request = parsed.Mirrors.Should().ContainSingle().Which;
        request.Name.Should().Be(name);
        request.Source.Should().Be(ConfigSource.PodArgs);
    }

    [Theory]
    [InlineData("producer", """{"name":"m","output":"port"}""", "args.cni.mirrors[0]: mirror m asks for the consumer role, which allowedPodRoles of this network does not include")]
    [InlineData("consumer", """{"name":"m","selection":["all"]}""", "args.cni.mirrors[0]: mirror m asks for the producer role, which allowedPodRoles of this network does not include")]
    public void PodRole_NotInAllowedPodRoles_IsRefusedWith101(string allowedRole, string entry, string expected)
    {
        var error = TestConfig.Fail(
            $$"""{"bridge":"br1","allowPodArgs":true,"allowedPodRoles":["{{allowedRole}}"]}""",
            $$"""{"mirrors":[{{entry}}]}""");

        error.Code.Should().Be(PluginErrorCode.PodArgsNotAllowed);
        error.Message.Should().Be(expected);
    }

    [Theory]
    [InlineData("""["producer"]""", """{"name":"m","selection":["src_port"]}""", "m producer src_port")]
    [InlineData("""["consumer"]""", """{"name":"m","output":"port"}""", "m consumer port")]
    [InlineData("""["producer","consumer"]""", """{"name":"m","output":"vlan","outputVlan":7}""", "m consumer vlan outputVlan=7")]
    public void PodRole_InAllowedPodRoles_IsAccepted(string allowedRoles, string entry, string expected)
    {
        var parsed = TestConfig.Parse(
            $$"""{"bridge":"br1","allowPodArgs":true,"allowedPodRoles":{{allowedRoles}}}""",
            $$"""{"mirrors":[{{entry}}]}""");

        MirrorDescription.Of(parsed.Mirrors).Should().Be(expected);
    }

    [Fact]
    public void PodMirrors_AreMergedWithTheNadsAfterThem()
    {
        var parsed = TestConfig.Parse(
            """{"bridge":"br1","allowPodArgs":true,"mirrors":[{"name":"mirror-1","selection":["src_port"]}]}""",
            """{"mirrors":[{"name":"mirror-2","selection":["dst-port"]},{"name":"mirror-1","selection":["dst-port"]}]}""");

        MirrorDescription.Of(parsed.Mirrors).Should().Be("mirror-1 producer src_port+dst_port; mirror-2 producer dst_port");
        parsed.Mirrors[0].Source.Should().Be(ConfigSource.Nad);
        parsed.Mirrors[1].Source.Should().Be(ConfigSource.PodArgs);
    }

    [Theory]
    // Other keys of args.cni belong to other plugins of the chain (Multus passes cni-args to every plugin).
    [InlineData("""{"bridge":"br1"}""", """{"ips":["10.0.0.2/24"],"mac":"00:11:22:33:44:55"}""")]
    [InlineData("""{"bridge":"br1"}""", """{"mirrors":null}""")]
    [InlineData("""{"bridge":"br1"}""", """{}""")]
    public void ArgsCni_WithoutMirrors_AsksForNothing(string config, string cniArgs)
    {
        var parsed = TestConfig.Parse(config, cniArgs);

        parsed.Mirrors.Should().BeEmpty();
    }

    [Fact]
    public void ArgsWithoutCni_AsksForNothing()
    {
        var parsed = TestConfig.Parse("""{"bridge":"br1","args":{"labels":[{"key":"a","value":"b"}]}}""");

        parsed.Mirrors.Should().BeEmpty();
    }

    [Theory]
    [InlineData(null, "any", true)]
    [InlineData(new[] { "mirror-1" }, "mirror-1", true)]
    [InlineData(new[] { "mirror-1" }, "mirror-1x", false)]
    [InlineData(new[] { "mirror-*" }, "mirror-1x", true)]
    [InlineData(new[] { "mirror-*" }, "mirror", false)]
    [InlineData(new[] { "a", "b*" }, "bee", true)]
    [InlineData(new[] { "*" }, "", true)]
    public void PodArgsPolicy_MatchesExactNamesAndPrefixPatterns(string[]? allowed, string name, bool expected)
    {
        var policy = new PodArgsPolicy(allowPodArgs: true, allowedMirrors: allowed, allowedRoles: null);

        policy.AllowsMirror(name).Should().Be(expected);
        policy.AllowsRole(MirrorRole.Producer).Should().BeTrue();
        policy.AllowsRole(MirrorRole.Consumer).Should().BeTrue();
    }

    [Fact]
    public void PodArgsPolicy_AllowsOnlyTheListedRoles()
    {
        var policy = new PodArgsPolicy(allowPodArgs: true, allowedMirrors: null, allowedRoles: [MirrorRole.Consumer]);

        policy.AllowsRole(MirrorRole.Consumer).Should().BeTrue();
        policy.AllowsRole(MirrorRole.Producer).Should().BeFalse();
    }

    [Fact]
    public void PodArgsNotAllowed_IsCheckedBeforeTheEntries()
    {
        // A NAD that does not opt in never reads what the pod wrote.
        var error = TestConfig.Fail("""{"bridge":"br1"}""", """{"mirrors":[{"name":""}]}""");

        error.Code.Should().Be(PluginErrorCode.PodArgsNotAllowed);
    }
}
