using System.Text;
using System.Text.Json.Nodes;

namespace OvsMirror.Cni.Tests;

/// <summary>A configuration can hold secrets: no error path may copy stdin to stdout or stderr.</summary>
public sealed class SecretLeakTests
{
    private const string Secret = TestConfigs.Secret;

    public static TheoryData<string, string, string?, string?> ErrorCases() => new()
    {
        // command, config, variable to drop, expectation label
        { "ADD", TestConfigs.With("name", "/" + Secret), null, "name is not a valid network name" },
        { "ADD", TestConfigs.With("type", new JsonObject { ["x"] = Secret }), null, "type has the wrong type" },
        { "ADD", TestConfigs.With("cniVersion", Secret), null, "cniVersion is the secret" },
        { "ADD", TestConfigs.With("prevResult", Secret), null, "prevResult is a string" },
        { "ADD", TestConfigs.Json(), "CNI_CONTAINERID", "an environment error" },
        { "CHECK", TestConfigs.Json("0.3.1"), null, "CHECK on an old version" },
        { "GC", TestConfigs.With(NetworkConfig.ValidAttachmentsKey, new JsonArray(Secret), "1.1.0"), null, "a bad attachment" },
        { "ADD", "{\"password\":\"" + Secret + "\",", null, "truncated JSON" },
        { "ADD", "{\"password\": " + Secret + "}", null, "the secret is where the parser stops" },
        { "ADD", "{\"" + Secret + "\":1,\"" + Secret + "\":2}", null, "the secret is a duplicated key" },
        { "ADD", "[\"" + Secret + "\"]", null, "not an object" },
        { "ADD", TestConfigs.With("args", Secret), null, "args is a string" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void ErrorPath_NeverEchoesTheConfig(string command, string config, string? dropVariable, string? label)
    {
        var run = CniRun.For(command, config);
        if (dropVariable is not null)
        {
            run.Without(dropVariable);
        }

        var outcome = run.Run(new RecordingPlugin());

        outcome.ExitCode.Should().Be(1, label);
        outcome.Stdout.Should().NotContain(Secret, label);
        outcome.Stderr.Should().NotContain(Secret, label);
        outcome.Stdout.Should().NotContain("S3CRET", label);
    }

    [Fact]
    public void OversizeStdin_NeverEchoesTheConfig()
    {
        var run = CniRun.For("ADD", null);
        run.Stdin = Encoding.UTF8.GetBytes(TestConfigs.Json() + new string(' ', 1024 * 1024) + Secret);

        var outcome = run.Run(new RecordingPlugin());

        outcome.ShouldFailWith(CniErrorCode.DecodingFailure);
        outcome.Stdout.Should().NotContain(Secret);
        outcome.Stderr.Should().NotContain(Secret);
    }

    [Fact]
    public void PluginError_DoesNotAddTheConfig()
    {
        var plugin = new RecordingPlugin { Behavior = (_, _) => throw new CniException(CniErrorCode.InvalidNetworkConfig, "bridge br1 does not exist") };

        var outcome = CniRun.For("ADD", TestConfigs.Json()).Run(plugin);

        outcome.ShouldFailWith(CniErrorCode.InvalidNetworkConfig);
        outcome.Stdout.Should().NotContain(Secret);
        outcome.Stderr.Should().NotContain(Secret);
    }
}
