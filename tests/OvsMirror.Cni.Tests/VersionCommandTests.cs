using System.Text.Json.Nodes;

namespace OvsMirror.Cni.Tests;

/// <summary>CNI SPEC §VERSION: answered by the dispatcher, never by the plugin.</summary>
public sealed class VersionCommandTests
{
    private static readonly string[] All = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    [Fact]
    public void Version_WithEmptyStdin_AnswersInLatestVersion()
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For("VERSION", null).Run(plugin);

        outcome.ExitCode.Should().Be(0);
        var json = outcome.Json;
        json.Select(p => p.Key).Should().BeEquivalentTo("cniVersion", "supportedVersions");
        json["cniVersion"]!.GetValue<string>().Should().Be("1.1.0");
        json["supportedVersions"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal(All);
        plugin.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void Version_WithSupportedRequestVersion_AnswersInThatVersion(string version)
    {
        var outcome = CniRun.For("VERSION", $$"""{"cniVersion":"{{version}}"}""").Run(new RecordingPlugin());

        outcome.ExitCode.Should().Be(0);
        outcome.Json["cniVersion"]!.GetValue<string>().Should().Be(version);
        outcome.Json["supportedVersions"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal(All);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.2.0"}""")]
    [InlineData("""{"cniVersion":"0.2.0"}""")]
    [InlineData("""{"cniVersion":42}""")]
    [InlineData("""{}""")]
    [InlineData("""not json""")]
    [InlineData("""   """)]
    public void Version_WithUnknownOrUndecodableRequest_StillAnswersInLatestVersion(string stdin)
    {
        var outcome = CniRun.For("VERSION", stdin).Run(new RecordingPlugin());

        outcome.ExitCode.Should().Be(0);
        outcome.Json["cniVersion"]!.GetValue<string>().Should().Be("1.1.0");
    }

    [Fact]
    public void Version_WithFullConfigAndNoOtherVariables_Succeeds()
    {
        var outcome = CniRun.For("VERSION", TestConfigs.Json("0.4.0")).Run(new RecordingPlugin());

        outcome.ExitCode.Should().Be(0);
        JsonNode.DeepEquals(outcome.Json["supportedVersions"], new JsonArray(All.Select(v => (JsonNode)v).ToArray()))
            .Should().BeTrue();
    }
}
