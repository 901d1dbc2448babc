using OvsMirror.Install;

namespace OvsMirror.Tests.Install;

/// <summary>The installer in process, on a scratch "CNI bin dir"; the oracle is the filesystem (bytes, inodes, link targets).</summary>
public sealed class CniBinInstallerTests : IDisposable
{
    private readonly ScratchDirectory scratch = new();
    private readonly string binDir;

    public CniBinInstallerTests()
    {
        binDir = scratch["cni-bin"];
        Directory.CreateDirectory(binDir);
    }

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Install_IntoAnEmptyDir_CopiesTheBinaryExecutable_AndLinksTheOvsCniNames()
    {
        var source = scratch.WriteFakeBuild("build-a", "a");

        var report = new CniBinInstaller(source).Install(binDir);

        report.Changed.Should().BeTrue();
        var installed = Path.Combine(binDir, "ovs-mirror");
        File.ReadAllBytes(installed).Should().Equal(File.ReadAllBytes(source));
        File.GetUnixFileMode(installed).Should().Be((UnixFileMode)Convert.ToInt32("755", 8));
        new FileInfo(Path.Combine(binDir, "ovs-mirror-producer")).LinkTarget.Should().Be("ovs-mirror");
        new FileInfo(Path.Combine(binDir, "ovs-mirror-consumer")).LinkTarget.Should().Be("ovs-mirror");
        Directory.GetFileSystemEntries(binDir).Select(Path.GetFileName)
            .Should().BeEquivalentTo(["ovs-mirror", "ovs-mirror-producer", "ovs-mirror-consumer"], "no temp file is left");
    }

    [Fact]
    public void Install_TheSameBuildAgain_ChangesNothing()
    {
        var source = scratch.WriteFakeBuild("build-a", "a");
        var installer = new CniBinInstaller(source);
        installer.Install(binDir);
        var before = Snapshot();

        var report = installer.Install(binDir);

        report.Changed.Should().BeFalse();
        Snapshot().Should().Equal(before, "same mtimes: not even rewritten");
    }

    [Fact]
    public void Install_AnotherBuild_ReplacesTheFileByRename_AndKeepsTheLinks()
    {
        new CniBinInstaller(scratch.WriteFakeBuild("build-a", "a")).Install(binDir);
        using var running = File.OpenRead(Path.Combine(binDir, "ovs-mirror"));   // like a plugin that is executing it
        var b = scratch.WriteFakeBuild("build-b", "bb");

        var report = new CniBinInstaller(b).Install(binDir);

        report.Lines.Should().Contain(l => l.Contains("replaced", StringComparison.Ordinal));
        File.ReadAllBytes(Path.Combine(binDir, "ovs-mirror")).Should().Equal(File.ReadAllBytes(b));
        new StreamReader(running).ReadToEnd().Should().EndWith("a",
            "whoever had the old file open (a plugin executing it) still has the old build, whole: a new file was renamed in, the old one never written to");
        Directory.GetFileSystemEntries(binDir).Should().HaveCount(3);
    }

    [Fact]
    public void Install_OverOvsCnisOwnPlugins_ReplacesThemWithLinks_UnlessAskedNotTo()
    {
        File.WriteAllText(Path.Combine(binDir, "ovs-mirror-producer"), "ovs-cni's producer");
        var source = scratch.WriteFakeBuild("build-a", "a");

        new CniBinInstaller(source).Install(binDir, withOvsCniLinks: false);
        File.ReadAllText(Path.Combine(binDir, "ovs-mirror-producer")).Should().Be("ovs-cni's producer");
        File.Exists(Path.Combine(binDir, "ovs-mirror-consumer")).Should().BeFalse();

        new CniBinInstaller(source).Install(binDir);
        new FileInfo(Path.Combine(binDir, "ovs-mirror-producer")).LinkTarget.Should().Be("ovs-mirror");
    }

    [Fact]
    public void Install_IntoAFile_IsRefusedWithAClearError()
    {
        var file = scratch.WriteFakeBuild("not-a-dir", "x");

        var act = () => new CniBinInstaller(scratch.WriteFakeBuild("build-a", "a")).Install(file);

        act.Should().Throw<InstallException>().WithMessage($"--cni-bin-dir {file} is a file, not a directory");
        File.ReadAllText(file).Should().EndWith("x");
    }

    [Fact]
    public void Install_IntoAMissingDir_IsRefusedWithAClearError()
    {
        var missing = scratch["nope"];

        var act = () => new CniBinInstaller(scratch.WriteFakeBuild("build-a", "a")).Install(missing);

        act.Should().Throw<InstallException>().WithMessage($"--cni-bin-dir {missing} does not exist*");
        Directory.Exists(missing).Should().BeFalse();
    }

    [Fact]
    public void Install_WhenADirectoryHasTheBinarysName_IsRefused()
    {
        Directory.CreateDirectory(Path.Combine(binDir, "ovs-mirror"));

        var act = () => new CniBinInstaller(scratch.WriteFakeBuild("build-a", "a")).Install(binDir);

        act.Should().Throw<InstallException>().WithMessage("*ovs-mirror is a directory: refusing to replace it");
    }

    [Fact]
    public void Uninstall_RemovesWhatInstallPutThere_AndNothingElse()
    {
        File.WriteAllText(Path.Combine(binDir, "bridge"), "another plugin");
        new CniBinInstaller(scratch.WriteFakeBuild("build-a", "a")).Install(binDir);

        var report = CniBinInstaller.Uninstall(binDir);

        report.Changed.Should().BeTrue();
        Directory.GetFileSystemEntries(binDir).Select(Path.GetFileName).Should().Equal("bridge");
        CniBinInstaller.Uninstall(binDir).Changed.Should().BeFalse("a second uninstall finds nothing");
    }

    [Fact]
    public void Uninstall_LeavesFilesOfOurNamesThatAreNotOurs()
    {
        File.WriteAllText(Path.Combine(binDir, "ovs-mirror"), "some other program");
        File.WriteAllText(Path.Combine(binDir, "ovs-mirror-producer"), "ovs-cni's producer");
        File.CreateSymbolicLink(Path.Combine(binDir, "ovs-mirror-consumer"), "/usr/bin/elsewhere");

        var report = CniBinInstaller.Uninstall(binDir);

        report.Changed.Should().BeFalse();
        report.Lines.Should().HaveCount(3).And.OnlyContain(l => l.Contains("left alone", StringComparison.Ordinal));
        File.ReadAllText(Path.Combine(binDir, "ovs-mirror")).Should().Be("some other program");
        File.ReadAllText(Path.Combine(binDir, "ovs-mirror-producer")).Should().Be("ovs-cni's producer");
        new FileInfo(Path.Combine(binDir, "ovs-mirror-consumer")).LinkTarget.Should().Be("/usr/bin/elsewhere");
    }

    private List<string> Snapshot() => [.. Directory.GetFileSystemEntries(binDir).Order(StringComparer.Ordinal).Select(p =>
    {
        var info = new FileInfo(p);
        return $"{p} {info.LinkTarget} {File.GetLastWriteTimeUtc(p).Ticks}";
    })];
}
