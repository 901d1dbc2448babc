using System.Text;

namespace OvsMirror.Tests.Binary;

/// <summary>
/// The plugin binary without CNI_COMMAND keeps only what the DaemonSet and an upgrade run (version, install, uninstall,
/// pause), without System.CommandLine in its image (issue 14); the operator CLI is ovs-mirrorctl.
/// </summary>
public sealed class PluginAndCtlBinaryTests
{
    private static readonly Dictionary<string, string> NoEnv = [];

    [Fact]
    public void PluginImage_DoesNotCarrySystemCommandLine_ButCtlDoes()
    {
        var marker = Encoding.ASCII.GetBytes("System.CommandLine");

        File.ReadAllBytes(PublishedBinary.PathOf("ovs-mirror")).AsSpan().IndexOf(marker).Should().Be(-1);
        File.ReadAllBytes(PublishedBinary.PathOf("ovs-mirrorctl")).AsSpan().IndexOf(marker).Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task Version_IsTheSame_FromBothBinaries()
    {
        var plugin = await PublishedBinary.RunAsync("ovs-mirror", NoEnv, "", "version");
        var ctl = await PublishedBinary.RunAsync("ovs-mirrorctl", NoEnv, "", "version");

        plugin.ExitCode.Should().Be(0, plugin.StandardError);
        ctl.ExitCode.Should().Be(0, ctl.StandardError);
        plugin.StandardOutput.Should().Be(ctl.StandardOutput).And.Contain("build: ").And.Contain("CNI spec versions: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0");
    }

    [Theory]
    [InlineData("list")]
    [InlineData("frobnicate")]
    public async Task Plugin_WithAnOperatorCommand_IsAUsageError_NamingOvsMirrorctl(string command)
    {
        var run = await PublishedBinary.RunAsync("ovs-mirror", NoEnv, "", command);

        run.ExitCode.Should().Be(1);
        run.StandardError.Should().Contain($"'{command}'").And.Contain("ovs-mirrorctl");
        run.StandardOutput.Should().BeEmpty();
    }

    [Theory]
    [InlineData("install", "--cni-bin-dir")]
    [InlineData("uninstall", "--cni-bin-dir", "/tmp", "--no-ovs-cni-names")]
    [InlineData("version", "--verbose")]
    public async Task Plugin_WithABadOption_IsAUsageError(params string[] args)
    {
        var run = await PublishedBinary.RunAsync("ovs-mirror", NoEnv, "", args);

        run.ExitCode.Should().Be(1);
        run.StandardError.Should().NotBeEmpty();
        run.StandardOutput.Should().BeEmpty();
    }

    [Fact]
    public async Task Ctl_Help_ListsTheOperatorCommands()
    {
        var run = await PublishedBinary.RunAsync("ovs-mirrorctl", NoEnv, "", "--help");

        run.ExitCode.Should().Be(0, run.StandardError);
        run.StandardOutput.Should().Contain("Usage:").And.Contain("version");
    }
}
