using System.Text;
using System.Text.Json.Nodes;

namespace OvsMirror.Cni.Tests;

/// <summary>Decoding stdin: at most 1 MiB, JSON, an object, standard keys of the right type (CNI SPEC §Error 6 and 7).</summary>
public sealed class StdinTests
{
    private const int OneMiB = 1024 * 1024;

    [Fact]
    public void Add_WithStdinOverOneMiB_ReturnsCode6()
    {
        var run = CniRun.For("ADD", null);
        run.Stdin = Padded(TestConfigs.Json(), OneMiB + 1);
        var plugin = new RecordingPlugin();

        var outcome = run.Run(plugin);

        outcome.ShouldFailWith(CniErrorCode.DecodingFailure);
        outcome.ErrorMessage.Should().Be("network configuration on stdin exceeds 1 MiB");
        plugin.Requests.Should().BeEmpty();
    }

    [Fact]
    public void Add_WithStdinOfExactlyOneMiB_Succeeds()
    {
        var run = CniRun.For("ADD", null);
        run.Stdin = Padded(TestConfigs.Json(), OneMiB);

        var outcome = run.Run(new RecordingPlugin());

        outcome.ExitCode.Should().Be(0, outcome.Stdout);
    }

    [Fact]
    public void Version_WithStdinOverOneMiB_ReturnsCode6()
    {
        var run = CniRun.For("VERSION", null);
        run.Stdin = new byte[(2 * OneMiB) + 17];

        var outcome = run.Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.DecodingFailure);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t ")]
    [InlineData("not json")]
    [InlineData("{")]
    [InlineData("""{"cniVersion":"1.0.0",}""")]
    [InlineData("""{"cniVersion":"1.0.0"} {"again":1}""")]
    [InlineData("// comment\n{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"t\"}")]
    [InlineData("""[{"cniVersion":"1.0.0"}]""")]
    [InlineData("\"1.0.0\"")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"t","name":"other"}""")]
    public void Add_WithUndecodableStdin_ReturnsCode6(string stdin)
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For("ADD", stdin).Run(plugin);

        outcome.ShouldFailWith(CniErrorCode.DecodingFailure);
        outcome.Json["cniVersion"]!.GetValue<string>().Should().Be("1.1.0");
        plugin.Requests.Should().BeEmpty();
    }

    /// <summary>Regression (issue 9 §2.5): the details said "at line , byte " for a repeated key.</summary>
    [Theory]
    [InlineData("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"cniVersion\":\"1.0.0\"}", "cniVersion", "at line 1, byte 34")]
    [InlineData("{\n  \"a\": {\n    \"b\": 1,\n    \"b\": 2\n  }\n}", "b", "at line 4, byte 5")]
    [InlineData("{\"x\":{\"k\":1},\"y\":{\"k\":1},\"y\":0}", "y", "at line 1, byte 26")]
    public void Add_WithARepeatedKey_ReturnsCode6WithItsPosition(string stdin, string key, string details)
    {
        var outcome = CniRun.For("ADD", stdin).Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.DecodingFailure);
        outcome.ErrorMessage.Should().Be("network configuration on stdin has a key twice in one object", "a key ({0}) can be a secret too", key);
        outcome.Json["details"]!.GetValue<string>().Should().Be(details);
    }

    [Fact]
    public void Add_WithMalformedJson_GivesAPositionAndNoEmptyPlaceholders()
    {
        var outcome = CniRun.For("ADD", "{\"cniVersion\": tru}").Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.DecodingFailure);
        outcome.Json["details"]!.GetValue<string>().Should().MatchRegex("^at line [0-9]+, byte [0-9]+$");
    }

    [Fact]
    public void Add_WithInvalidUtf8_ReturnsCode6()
    {
        var run = CniRun.For("ADD", null);
        run.Stdin = [.. "{\"cniVersion\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var outcome = run.Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.DecodingFailure);
    }

    public static TheoryData<string, JsonNode?> WrongTypes() => new()
    {
        { "cniVersion", 100 },
        { "cniVersion", null },
        { "cniVersion", new JsonArray("1.0.0") },
        { "name", 5 },
        { "name", null },
        { "name", "-starts-with-dash" },
        { "name", "" },
        { "type", new JsonArray() },
        { "type", null },
        { "type", "" },
        { "type", "../../bin/sh" },
        { "prevResult", "{}" },
        { "prevResult", new JsonArray() },
        { "runtimeConfig", new JsonArray() },
        { "runtimeConfig", true },
        { "args", "cni" },
        { "args", 1 },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void Add_WithWrongStandardKey_ReturnsCode7NamingTheKey(string key, JsonNode? value)
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For("ADD", TestConfigs.With(key, value)).Run(plugin);

        outcome.ShouldFailWith(CniErrorCode.InvalidNetworkConfig);
        outcome.ErrorMessage.Should().StartWith(key);
        plugin.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("cniVersion", "ADD")]
    [InlineData("type", "ADD")]
    [InlineData("name", "ADD")]
    [InlineData("name", "DEL")]
    [InlineData("name", "CHECK")]
    [InlineData("cniVersion", "STATUS")]
    [InlineData("type", "GC")]
    public void Command_WithoutRequiredKey_ReturnsCode7(string key, string command)
    {
        var outcome = CniRun.For(command, TestConfigs.Without(key, "1.1.0")).Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.InvalidNetworkConfig);
        outcome.ErrorMessage.Should().Be($"{key} is required");
    }

    [Theory]
    [InlineData("STATUS")]
    [InlineData("GC")]
    public void StatusAndGc_WithoutName_Succeed(string command)
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For(command, TestConfigs.Without("name", "1.1.0")).Run(plugin);

        outcome.ShouldSucceedSilently();
        plugin.Single.NetworkConfig.Name.Should().BeEmpty();
    }

    [Theory]
    [InlineData("prevResult")]
    [InlineData("runtimeConfig")]
    [InlineData("args")]
    public void Del_WithNullOptionalObject_TreatsItAsAbsent(string key)
    {
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For("DEL", TestConfigs.With(key, null)).Run(plugin);

        outcome.ShouldSucceedSilently();
        plugin.Single.NetworkConfig.Raw.ContainsKey(key).Should().BeTrue();
    }

    [Fact]
    public void Add_KeepsStandardObjectsAndPluginKeys()
    {
        var config = TestConfigs.Object();
        config["runtimeConfig"] = new JsonObject { ["mac"] = "02:00:00:00:00:01" };
        config["args"] = new JsonObject { ["cni"] = new JsonObject { ["mirrors"] = new JsonArray("m1") } };
        var plugin = new RecordingPlugin();

        var outcome = CniRun.For("ADD", config.ToJsonString()).Run(plugin);

        outcome.ExitCode.Should().Be(0);
        var seen = plugin.Single.NetworkConfig;
        JsonNode.DeepEquals(seen.Raw, config).Should().BeTrue();
        JsonNode.DeepEquals(seen.RuntimeConfig, config["runtimeConfig"]).Should().BeTrue();
        JsonNode.DeepEquals(seen.ArgsObject, config["args"]).Should().BeTrue();
        seen.ArgsObject!["cni"]!["mirrors"]![0]!.GetValue<string>().Should().Be("m1");
        JsonNode.DeepEquals(seen.PrevResult, config["prevResult"]).Should().BeTrue();
        seen.ValidAttachments.Should().BeNull("only GC reads cni.dev/valid-attachments");
    }

    private static byte[] Padded(string json, int totalBytes)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        byte[] padded = new byte[totalBytes];
        body.CopyTo(padded, 0);
        padded.AsSpan(body.Length).Fill((byte)' ');
        return padded;
    }
}
