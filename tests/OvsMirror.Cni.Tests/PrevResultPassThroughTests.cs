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
    public void Add_PassesPrevResultThroughSemanticallyIdentical(string version)
    {
        var outcome = CniRun.For("ADD", TestConfigs.Json(version)).Run(new RecordingPlugin());

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
    public void Add_WithoutPrevResult_ReturnsCode7()
    {
        var outcome = CniRun.For("ADD", TestConfigs.Without("prevResult")).Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.InvalidNetworkConfig);
        outcome.ErrorMessage.Should().Be("prevResult is required for ADD");
    }

    [Fact]
    public void Add_ResultWithoutCniVersion_GetsTheConfigVersion()
    {
        var plugin = new ResultPlugin(new JsonObject { ["interfaces"] = new JsonArray() });

        var outcome = CniRun.For("ADD", TestConfigs.Json("0.3.1")).Run(plugin);

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
        public JsonObject Add(CniRequest request, CancellationToken cancellationToken) => result;

        public void Del(CniRequest request, CancellationToken cancellationToken)
        {
        }

        public void Check(CniRequest request, CancellationToken cancellationToken)
        {
        }

        public void Status(CniRequest request, CancellationToken cancellationToken)
        {
        }

        public void Gc(CniRequest request, CancellationToken cancellationToken)
        {
        }
    }
}
