using System.Text;

namespace OvsMirror.Tests.Binary;

/// <summary>
/// The plugin binary without CNI_COMMAND keeps only what the DaemonSet and an upgrade run (version, install, uninstall,
/// pause), parsed by hand: System.CommandLine is not in its image (issue 14). The release binary, real exit codes.
/// </summary>
public sealed class PluginCommandsBinaryTests
{
    private static readonly Dictionary<string, string> NoEnv = [];

    [Fact]
    public void PluginImage_DoesNotCarrySystemCommandLine()
    {
        File.ReadAllBytes(PublishedBinary.PathOf("ovs-mirror")).AsSpan().IndexOf(Encoding.ASCII.GetBytes("System.CommandLine")).Should().Be(-1);
    }

    [Fact]
    public async Task Version_PrintsTheVersion_TheBuild_AndTheCniSpecVersions()
    {
        var run = await PublishedBinary.RunAsync("ovs-mirror", NoEnv, "", "version");

        run.ExitCode.Should().Be(0, run.StandardError);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(3);
        lines[0].Should().StartWith("ovs-mirror 1.");
        lines[1].Should().StartWith("build: 1.");
        lines[2].Should().Be("CNI spec versions: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0");
    }

    [Fact]
    public async Task VersionOption_PrintsTheBuild()
    {
        var version = await PublishedBinary.RunAsync("ovs-mirror", NoEnv, "", "version");
        var option = await PublishedBinary.RunAsync("ovs-mirror", NoEnv, "", "--version");

        option.ExitCode.Should().Be(0, option.StandardError);
        version.StandardOutput.Should().Contain("build: " + option.StandardOutput.Trim());
    }

    [Fact]
    public async Task NoCommand_IsAUsageError_WithTheHelp()
    {
        var run = await PublishedBinary.RunAsync("ovs-mirror", NoEnv, "");

        run.ExitCode.Should().Be(1);
        run.StandardError.Should().Contain("Required command was not provided.");
        run.StandardOutput.Should().Contain("Usage:").And.Contain("install --cni-bin-dir DIR");
    }

    [Theory]
    [InlineData("list")]
    [InlineData("frobnicate")]
    public async Task AnOperatorCommand_IsAUsageError_NamingOvsMirrorctl(string command)
    {
        var run = await PublishedBinary.RunAsync("ovs-mirror", NoEnv, "", command);

        run.ExitCode.Should().Be(1);
        run.StandardError.Should().Contain($"'{command}'").And.Contain("ovs-mirrorctl");
        run.StandardOutput.Should().BeEmpty();
    }

    [Theory]
    [InlineData("install", "--cni-bin-dir")]
    [InlineData("uninstall", "--cni-bin-dir", "/nonexistent", "--no-ovs-cni-names")]
    [InlineData("install", "--cni-bin-dir", "/nonexistent", "--bogus")]
    [InlineData("version", "--verbose")]
    [InlineData("pause", "now")]
    public async Task ABadOption_IsAUsageError(params string[] args)
    {
        var run = await PublishedBinary.RunAsync("ovs-mirror", NoEnv, "", args);

        run.ExitCode.Should().Be(1);
        run.StandardError.Should().NotBeEmpty();
        run.StandardOutput.Should().BeEmpty();
    }

    [Fact]
    public async Task Install_TakesTheDirAlsoAsEqualsForm()
    {
        var dir = Directory.CreateTempSubdirectory("om-install.").FullName;
        try
        {
            var install = await PublishedBinary.RunAsync("ovs-mirror", NoEnv, "", "install", $"--cni-bin-dir={dir}", "--no-ovs-cni-names");
            install.ExitCode.Should().Be(0, install.StandardError);
            Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Should().Equal("ovs-mirror");

            var uninstall = await PublishedBinary.RunAsync("ovs-mirror", NoEnv, "", "uninstall", "--cni-bin-dir", dir);
            uninstall.ExitCode.Should().Be(0, uninstall.StandardError);
            Directory.GetFileSystemEntries(dir).Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
