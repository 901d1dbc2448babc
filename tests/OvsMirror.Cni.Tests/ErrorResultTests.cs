using System.Text.Json.Nodes;

namespace OvsMirror.Cni.Tests;

/// <summary>CNI SPEC §Error: the exact shape of the error on stdout, and quiet success.</summary>
public sealed class ErrorResultTests
{
    [Fact]
    public void Error_WithoutDetails_HasExactlyCniVersionCodeAndMsg()
    {
        var plugin = new RecordingPlugin
        {
            Behavior = (_, _) => throw new CniException(CniErrorCode.UnknownContainer, "no such container"),
        };

        var outcome = CniRun.For("CHECK", TestConfigs.Json("0.4.0")).Run(plugin);

        outcome.ExitCode.Should().Be(1);
        var expected = new JsonObject { ["cniVersion"] = "0.4.0", ["code"] = 3, ["msg"] = "no such container" };
        JsonNode.DeepEquals(outcome.Json, expected).Should().BeTrue(outcome.Stdout);
        outcome.Json.Select(p => p.Key).Should().Equal("cniVersion", "code", "msg");
    }

    [Fact]
    public void Error_WithDetails_HasExactlyFourKeys()
    {
        var plugin = new RecordingPlugin
        {
            Behavior = (_, _) => throw new CniException(CniErrorCode.PluginNotAvailable, "OVSDB is unreachable", "unix:/run/openvswitch/db.sock: connection refused"),
        };

        var outcome = CniRun.For("STATUS", TestConfigs.Json("1.1.0")).Run(plugin);

        outcome.ExitCode.Should().Be(1);
        var expected = new JsonObject
        {
            ["cniVersion"] = "1.1.0",
            ["code"] = 50,
            ["msg"] = "OVSDB is unreachable",
            ["details"] = "unix:/run/openvswitch/db.sock: connection refused",
        };
        JsonNode.DeepEquals(outcome.Json, expected).Should().BeTrue(outcome.Stdout);
    }

    [Fact]
    public void Error_WithAPluginCodeAndNoDetails_NamesTheCodeInDetails()
    {
        // libcni turns a plugin's error into "msg; details" and drops the code: containerd and kubelet's
        // events would not say which error it was (seen on a real cluster: FailedCreatePodSandBox)
        var plugin = new RecordingPlugin
        {
            Behavior = (_, _) => throw new CniException(101, "mirror-1 is not in allowedPodMirrors of this network"),
        };

        var outcome = CniRun.For("ADD", TestConfigs.Json("0.4.0")).Run(plugin);

        outcome.ExitCode.Should().Be(1);
        var expected = new JsonObject
        {
            ["cniVersion"] = "0.4.0",
            ["code"] = 101,
            ["msg"] = "mirror-1 is not in allowedPodMirrors of this network",
            ["details"] = "ovs-mirror error code 101",
        };
        JsonNode.DeepEquals(outcome.Json, expected).Should().BeTrue(outcome.Stdout);
    }

    [Fact]
    public void Error_WithAPluginCodeAndDetails_KeepsTheDetails()
    {
        var plugin = new RecordingPlugin
        {
            Behavior = (_, _) => throw new CniException(105, "CHECK found differences", "mirror-1: port p1 is not in select_src_port"),
        };

        var outcome = CniRun.For("CHECK", TestConfigs.Json("0.4.0")).Run(plugin);

        outcome.Json["details"]!.GetValue<string>().Should().Be("mirror-1: port p1 is not in select_src_port");
    }

    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("1.0.0")]
    public void Error_AfterConfigIsRead_CarriesTheRequestVersion(string version)
    {
        var outcome = CniRun.For("ADD", TestConfigs.Json(version)).Without("CNI_IFNAME").Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.InvalidEnvironmentVariables);
        outcome.Json["cniVersion"]!.GetValue<string>().Should().Be(version);
    }

    [Fact]
    public void Error_BeforeConfigIsRead_CarriesLatestVersion()
    {
        var outcome = CniRun.For("ADD", TestConfigs.Json("0.3.1")).Without("CNI_COMMAND").Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.InvalidEnvironmentVariables);
        outcome.Json["cniVersion"]!.GetValue<string>().Should().Be("1.1.0");
    }

    [Fact]
    public void Error_KeepsQuotesAndNonAsciiReadable()
    {
        var plugin = new RecordingPlugin
        {
            Behavior = (_, _) => throw new CniException(CniErrorCode.InvalidNetworkConfig, "mirrors[0].name \"ü\" <bad>"),
        };

        var outcome = CniRun.For("DEL", TestConfigs.Json()).Run(plugin);

        outcome.ErrorMessage.Should().Be("mirrors[0].name \"ü\" <bad>");
        outcome.Stdout.Should().Contain("ü").And.Contain("<bad>");
    }

    [Fact]
    public void Error_IsLoggedToStderr()
    {
        var plugin = new RecordingPlugin
        {
            Behavior = (_, _) => throw new CniException(CniErrorCode.TryAgainLater, "OVSDB did not answer"),
        };

        var outcome = CniRun.For("DEL", TestConfigs.Json()).Run(plugin);

        outcome.Stderr.Should().Contain("ovs-mirror: DEL: error 11: OVSDB did not answer");
    }

    [Theory]
    [InlineData("DEL")]
    [InlineData("CHECK")]
    [InlineData("STATUS")]
    [InlineData("GC")]
    public void NonAddCommand_OnSuccess_PrintsNothing(string command)
    {
        var outcome = CniRun.For(command, TestConfigs.Json("1.1.0")).Run(new RecordingPlugin());

        outcome.ShouldSucceedSilently();
        outcome.Stderr.Should().BeEmpty();
    }
}
