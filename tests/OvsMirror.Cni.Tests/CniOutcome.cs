using System.Text.Json.Nodes;

namespace OvsMirror.Cni.Tests;

/// <summary>What a <see cref="CniRun"/> produced: exit status, stdout and stderr.</summary>
internal sealed record CniOutcome(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>stdout parsed as one JSON object; fails the test when it is not.</summary>
    public JsonObject Json => JsonNode.Parse(Stdout) as JsonObject
        ?? throw new InvalidOperationException("stdout is not a JSON object: " + Stdout);

    /// <summary>The <c>code</c> of the error on stdout.</summary>
    public int ErrorCode => Json["code"]!.GetValue<int>();

    /// <summary>The <c>msg</c> of the error on stdout.</summary>
    public string ErrorMessage => Json["msg"]!.GetValue<string>();

    public void ShouldSucceedSilently()
    {
        ExitCode.Should().Be(0, "stdout was: {0}", Stdout);
        Stdout.Should().BeEmpty();
    }

    public void ShouldFailWith(int code)
    {
        ExitCode.Should().Be(1, "stdout was: {0}", Stdout);
        ErrorCode.Should().Be(code, "msg was: {0}", Stdout);
    }
}
