using OvsMirror.Testing;

namespace OvsMirror.Tests.Rig;

public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task RunAsync_PassesEachArgumentVerbatim_WithoutAShell()
    {
        var result = await ProcessRunner.RunAsync("printf", ["%s|", "a b", "$HOME", "'q'", "*"]);

        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().Be("a b|$HOME|'q'|*|");
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_ReturnsCodeAndStderr()
    {
        var result = await ProcessRunner.RunAsync("sh", ["-c", "echo oops >&2; exit 3"]);

        result.ExitCode.Should().Be(3);
        result.Succeeded.Should().BeFalse();
        result.StandardError.Should().Be("oops\n");
    }

    [Fact]
    public async Task RunCheckedAsync_NonZeroExit_ThrowsWithCommandAndStderr()
    {
        var act = () => ProcessRunner.RunCheckedAsync("sh", ["-c", "echo broken pipe dream >&2; exit 7"]);

        var ex = await act.Should().ThrowAsync<ProcessFailedException>();
        ex.Which.ExitCode.Should().Be(7);
        ex.Which.Message.Should().Contain("exited with 7").And.Contain("broken pipe dream").And.Contain("sh -c");
    }

    [Fact]
    public async Task RunAsync_PastTheDeadline_KillsAndThrowsTimeout()
    {
        var started = DateTime.UtcNow;

        var act = () => ProcessRunner.RunAsync("sleep", ["30"], TimeSpan.FromMilliseconds(300));

        await act.Should().ThrowAsync<TimeoutException>().WithMessage("*sleep 30*");
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_WithStandardInputAndEnvironment_FeedsBoth()
    {
        var result = await ProcessRunner.RunAsync(
            "sh",
            ["-c", "cat; printf %s \"$OM_TEST_VAR\""],
            environment: new Dictionary<string, string> { ["OM_TEST_VAR"] = "from-env" },
            standardInput: "from-stdin;");

        result.StandardOutput.Should().Be("from-stdin;from-env");
    }
}
