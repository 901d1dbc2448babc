using OvsMirror.Testing;

namespace OvsMirror.Tests.Install;

/// <summary><c>ovs-mirror install / uninstall</c> as the DaemonSet's init container and an operator run them: the release binary, real exit codes.</summary>
public sealed class InstallCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public async Task Install_ThenInstallAgain_ThenUninstall_LeavesTheDirAsItWas()
    {
        var dir = scratch["cni-bin"];
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "ovs"), "ovs-cni's ovs plugin");

        var first = await RunAsync("install", "--cni-bin-dir", dir);
        first.ExitCode.Should().Be(0, first.StandardError);
        first.StandardOutput.Should().Contain($"{dir}/ovs-mirror: installed").And.Contain("installed ovs-mirror 1.");
        File.ReadAllBytes(Path.Combine(dir, "ovs-mirror")).Should().Equal(File.ReadAllBytes(InstallArtifacts.Binary));

        var second = await RunAsync("install", "--cni-bin-dir", dir);
        second.ExitCode.Should().Be(0, second.StandardError);
        second.StandardOutput.Should().Contain("already installed: nothing changed");

        var uninstall = await RunAsync("uninstall", "--cni-bin-dir", dir);
        uninstall.ExitCode.Should().Be(0, uninstall.StandardError);
        Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Should().Equal("ovs");
    }

    [Fact]
    public async Task Install_IntoAFile_ExitsOne_WithTheReasonOnStderr()
    {
        var file = scratch["a-file"];
        File.WriteAllText(file, "x");

        var run = await RunAsync("install", "--cni-bin-dir", file);

        run.ExitCode.Should().Be(1);
        run.StandardError.Trim().Should().Be($"ovs-mirror: error: --cni-bin-dir {file} is a file, not a directory");
        run.StandardOutput.Should().BeEmpty();
    }

    [Fact]
    public async Task Install_WithoutTheDir_IsAUsageError()
    {
        var run = await RunAsync("install");

        run.ExitCode.Should().NotBe(0);
        run.StandardError.Should().Contain("--cni-bin-dir");
    }

    private static Task<ProcessResult> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync(InstallArtifacts.Binary, args, Timeout, new Dictionary<string, string>());
}
