using System.Text;
using System.Text.Json.Nodes;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>What one in-process CNI invocation produced: exit code, stdout (parsed when JSON) and stderr.</summary>
internal sealed record PluginRun(int ExitCode, string Stdout, string Stderr)
{
    public JsonObject? Json => Stdout.Length == 0 ? null : JsonNode.Parse(Stdout)!.AsObject();

    public int? Code => Json?["code"]?.GetValue<int>();

    public string Message => Json?["msg"]?.GetValue<string>() ?? "";

    public PluginRun ShouldSucceed()
    {
        ExitCode.Should().Be(0, $"the call should succeed; stdout: {Stdout}; stderr: {Stderr}");
        return this;
    }

    public PluginRun ShouldFail(int code, string messageContains)
    {
        ExitCode.Should().Be(1, $"stdout: {Stdout}");
        Code.Should().Be(code, $"msg: {Message}");
        Message.Should().Contain(messageContains);
        return this;
    }

    public override string ToString() => $"exit {ExitCode}; stdout {Stdout}; stderr {Stderr}";
}
