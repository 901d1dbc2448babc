using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Tests.Install;

/// <summary>
/// Issue 11 §1: the release binary runs on a node with an older glibc. Inside a Debian 11 chroot (glibc 2.31, the
/// sysroot it is linked against), VERSION answers, and ADD / CHECK / DEL change a real ovsdb-server on the host,
/// whose socket is bind-mounted into the chroot. The host's ovs-vsctl is the oracle.
/// </summary>
public sealed class Debian11ChrootTests
{
    private static Dictionary<string, string> CniEnv(string command) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = "chroot1",
        ["CNI_NETNS"] = "/var/run/netns/pod",
        ["CNI_IFNAME"] = "eth1",
        ["CNI_PATH"] = "/tmp/bin",
    };

    [OvsFact]
    public async Task ReleaseBinary_InADebian11Chroot_AnswersVersion_AndAddsChecksAndDeletesAgainstTheHostsOvsdb()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1", "--", "add-port", "br1", "vethp1", "--", "set", "interface", "vethp1", "type=internal");
        var chroot = new Debian11Chroot(await InstallArtifacts.SysrootAsync(), InstallArtifacts.Binary, sandbox.Directory);

        var libc = await chroot.RunAsync(["/lib/x86_64-linux-gnu/libc.so.6"]);
        libc.StandardOutput.Should().Contain("release version 2.31", "the chroot is Debian 11's glibc, older than the build host's 2.36");

        var version = await chroot.RunAsync([Debian11Chroot.BinaryInside], CniEnv("VERSION"), "{\"cniVersion\":\"1.0.0\"}");
        version.ExitCode.Should().Be(0, version.StandardError);
        JsonNode.Parse(version.StandardOutput)!["supportedVersions"]!.AsArray().Select(v => v!.GetValue<string>())
            .Should().Equal("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");

        var config = new JsonObject
        {
            ["cniVersion"] = "1.0.0", ["name"] = "net1", ["type"] = "ovs-mirror", ["bridge"] = "br1",
            ["socket_file"] = $"unix:{Debian11Chroot.SharedDirectoryInside}/{Path.GetFileName(sandbox.DbSocketPath)}",
            ["flowRevalidation"] = "none",
            ["mirrors"] = new JsonArray { new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("src_port") } },
            ["prevResult"] = new JsonObject
            {
                ["cniVersion"] = "1.0.0",
                ["interfaces"] = new JsonArray { new JsonObject { ["name"] = "vethp1" }, new JsonObject { ["name"] = "eth1", ["sandbox"] = "/x" } },
            },
        }.ToJsonString();

        var add = await chroot.RunAsync([Debian11Chroot.BinaryInside], CniEnv("ADD"), config);
        add.ExitCode.Should().Be(0, add.StandardOutput + add.StandardError);
        var port = (await sandbox.VsctlAsync("get", "Port", "vethp1", "_uuid")).Trim();
        (await sandbox.VsctlAsync("get", "Mirror", "m1", "select_src_port")).Trim().Should().Be($"[{port}]");

        var check = await chroot.RunAsync([Debian11Chroot.BinaryInside], CniEnv("CHECK"), config);
        check.ExitCode.Should().Be(0, check.StandardOutput + check.StandardError);

        var del = await chroot.RunAsync([Debian11Chroot.BinaryInside], CniEnv("DEL"), config);
        del.ExitCode.Should().Be(0, del.StandardOutput + del.StandardError);
        (await sandbox.VsctlAsync("--bare", "--columns=name", "list", "Mirror")).Trim().Should().BeEmpty();
    }

    [OvsFact]
    public async Task ChrootRuns_LeaveNothingMounted()
    {
        using var scratch = new ScratchDirectory();
        var sysroot = await InstallArtifacts.SysrootAsync();
        var chroot = new Debian11Chroot(sysroot, InstallArtifacts.Binary, scratch.Path);

        (await chroot.RunAsync(["/tmp/bin/ovs-mirror", "version"])).ExitCode.Should().Be(0);
        (await chroot.RunAsync(["/bin/false"])).ExitCode.Should().NotBe(0);

        File.ReadAllText("/proc/self/mountinfo").Should().NotContain(sysroot, "each run's mounts live in its own namespace");
        Directory.GetFileSystemEntries(Path.Combine(sysroot, "tmp")).Should().BeEmpty("the cached sysroot is never written to");
    }
}
