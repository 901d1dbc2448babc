using System.Text.Json.Nodes;

namespace OvsMirror.Cni.Tests;

/// <summary>CNI SPEC §ADD: a chained plugin passes prevResult through; nothing may be lost (ovs-cni dropped ips, routes and dns).</summary>
public sealed class PrevResultPassThroughTests
{
    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public async Task Add_PassesPrevResultThroughSemanticallyIdentical(string version)
    {
        var outcome = await CniRun.For("ADD", TestConfigs.Json(version)).RunAsync(new RecordingPlugin());

        outcome.ExitCode.Should().Be(0, outcome.Stdout);
        var expected = JsonNode.Parse(TestConfigs.PrevResult)!.AsObject();
        expected["cniVersion"] = version;
        JsonNode.DeepEquals(outcome.Json, expected).Should().BeTrue(outcome.Stdout);
        outcome.Json["ips"]!.AsArray().Should().HaveCount(2);
        outcome.Json["routes"]!.AsArray().Should().HaveCount(2);
        outcome.Json["dns"]!["search"]!.AsArray().Should().HaveCount(2);
        outcome.Json["interfaces"]![1]!["sandbox"]!.GetValue<string>().Should().Be("/var/run/netns/cni-test");
        outcome.Stdout.Should().Contain("1.5e3", "numbers go out as they came in");
    }

    [Fact]
    public void PassThrough_DoesNotModifyTheConfig()
    {
        var config = Bind(TestConfigs.Object("0.4.0"));
        string before = config.PrevResult!.ToJsonString();

        var output = CniResult.PassThrough(config);
        output["ips"]!.AsArray().Clear();

        config.PrevResult!.ToJsonString().Should().Be(before);
        output["cniVersion"]!.GetValue<string>().Should().Be("0.4.0");
        output.Parent.Should().BeNull();
    }

    [Fact]
    public async Task Add_WithoutPrevResult_ReturnsCode7()
    {
        var outcome = await CniRun.For("ADD", TestConfigs.Without("prevResult")).RunAsync(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.InvalidNetworkConfig);
        outcome.ErrorMessage.Should().Be("prevResult is required for ADD");
    }

    [Fact]
    public async Task Add_ResultWithoutCniVersion_GetsTheConfigVersion()
    {
        var plugin = new ResultPlugin(new JsonObject { ["interfaces"] = new JsonArray() });

        var outcome = await CniRun.For("ADD", TestConfigs.Json("0.3.1")).RunAsync(plugin);

        outcome.ExitCode.Should().Be(0);
        outcome.Json["cniVersion"]!.GetValue<string>().Should().Be("0.3.1");
    }

    private static NetworkConfig Bind(JsonObject config) =>
        new()
        {
            CniVersion = config["cniVersion"]!.GetValue<string>(),
            Name = "n",
            Type = "t",
            Raw = config,
            PrevResult = config["prevResult"]!.AsObject(),
        };

    private sealed class ResultPlugin(JsonObject result) : ICniPlugin
    {
        public Task<JsonObject> AddAsync(CniRequest request, CancellationToken cancellationToken) => Task.FromResult(result);

        public Task DelAsync(CniRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CheckAsync(CniRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StatusAsync(CniRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task GcAsync(CniRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
