using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Tests.Binary;

/// <summary>The published NativeAOT binary as kubelet and an operator run it: a separate process, real stdio.</summary>
public sealed class PublishedBinaryTests
{
    [Fact]
    public async Task Version_PrintsTheSupportedVersionsAsCniJson()
    {
        var run = await PublishedBinary.RunAsync("ovs-mirror", PublishedBinary.CniEnv("VERSION"), "{\"cniVersion\":\"1.0.0\"}");

        run.ExitCode.Should().Be(0, run.StandardError);
        var json = JsonNode.Parse(run.StandardOutput)!;
        json["cniVersion"]!.GetValue<string>().Should().Be("1.0.0");
        json["supportedVersions"]!.AsArray().Select(v => v!.GetValue<string>())
            .Should().Equal("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
    }

    [Fact]
    public async Task Result_OnAStdoutThatIsAFileSharedWithTheNextWriter_ComesFirstAndWhole()
    {
        // A shell redirect: the plugin and the command after it write through one descriptor of a regular file. The
        // result has to move that descriptor's offset (write(2), not pwrite(2) at a private offset), or the next
        // writer overwrites it.
        var dir = System.IO.Directory.CreateTempSubdirectory("ovs-mirror-stdout-").FullName;
        try
        {
            var input = Path.Combine(dir, "in.json");
            var output = Path.Combine(dir, "out");
            await File.WriteAllTextAsync(input, "{\"cniVersion\":\"1.0.0\"}");

            var run = await ProcessRunner.RunAsync("/bin/sh", ["-c", "{ \"$0\" < \"$1\"; printf after; } > \"$2\"",
                PublishedBinary.PathOf(), input, output], TimeSpan.FromSeconds(30), PublishedBinary.CniEnv("VERSION"));

            run.ExitCode.Should().Be(0, run.StandardError);
            var text = await File.ReadAllTextAsync(output);
            text.Should().EndWith("after");
            JsonNode.Parse(text[..^"after".Length])!["cniVersion"]!.GetValue<string>().Should().Be("1.0.0");
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Result_WhenStdoutCannotBeWritten_IsAFailedCallWithTheReasonOnStderr()
    {
        // stdout open for reading only: write(2) fails (EBADF), and the call says so on stderr instead of exiting 0.
        var run = await ProcessRunner.RunAsync("/bin/sh", ["-c", "exec 1>&-; exec \"$0\" 1</dev/null", PublishedBinary.PathOf()],
            TimeSpan.FromSeconds(30), PublishedBinary.CniEnv("VERSION"), "{\"cniVersion\":\"1.0.0\"}");

        run.ExitCode.Should().Be(1);
        run.StandardError.Should().Contain("write fd 1: Bad file descriptor").And.Contain("cannot write the error to stdout");
    }

    [Fact]
    public void ThePlugin_IsAFixedAddressExecutable_AndTheOperatorCli_IsPositionIndependent()
    {
        // ELF e_type at offset 16 (System V ABI, ELF header): 2 = ET_EXEC (fixed address), 3 = ET_DYN (PIE).
        // README "Performance" says why the plugin is not a PIE (its start-up) and how to build one.
        static int ElfType(string path)
        {
            var header = new byte[18];
            using (var file = File.OpenRead(path))
            {
                file.ReadExactly(header);
            }

            header.AsSpan(0, 4).ToArray().Should().Equal(0x7f, (byte)'E', (byte)'L', (byte)'F');
            return header[16] | (header[17] << 8);
        }

        var pie = Environment.GetEnvironmentVariable("OVS_MIRROR_PIE") == "1";
        ElfType(PublishedBinary.PathOf("ovs-mirror")).Should().Be(pie ? 3 : 2,
            pie ? "OVS_MIRROR_PIE=1 ./hack/build.sh builds a PIE" : "the CNI plugin is linked -no-pie (src/OvsMirror/OvsMirror.csproj)");
        ElfType(PublishedBinary.PathOf("ovs-mirrorctl")).Should().Be(3, "the operator CLI keeps the default, a PIE");
    }

    [Fact]
    public async Task Help_WithoutCniCommand_ListsThePluginBinarysOwnCommands()
    {
        var run = await PublishedBinary.RunAsync("ovs-mirror", new Dictionary<string, string>(), "", "--help");

        run.ExitCode.Should().Be(0, run.StandardError);
        run.StandardOutput.Should().Contain("Usage:").And.Contain("version").And.Contain("install").And.Contain("ovs-mirrorctl");
    }

    [Fact]
    public async Task OperatorCommands_AreOvsMirrorctls_TheNativeBinaryValidatesAnExampleNad()
    {
        var nad = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(PublishedBinary.Directory))!, "cni-conf-examples", "nad-tc1.yaml");

        var ctl = await PublishedBinary.RunAsync("ovs-mirrorctl", new Dictionary<string, string>(), "", "validate", nad);
        var plugin = await PublishedBinary.RunAsync("ovs-mirror", new Dictionary<string, string>(), "", "validate", nad);
        var help = await PublishedBinary.RunAsync("ovs-mirror", new Dictionary<string, string>(), "", "--help");

        ctl.ExitCode.Should().Be(0, ctl.StandardError);
        ctl.StandardOutput.Should().Contain("NAD emu-cni/ovs-vlan100-prod-mir1-prod-mir2 plugins[1]").And.Contain("mirror-2 (producer)");
        plugin.ExitCode.Should().NotBe(0, "the plugin binary carries no operator commands");
        help.StandardOutput.Should().Contain("ovs-mirrorctl").And.Contain("install").And.Contain("pause");
    }

    [Fact]
    public async Task Error_IsCniJsonOnStdout_WithExitCode1_AndTheLogOnStderr()
    {
        var run = await PublishedBinary.RunAsync("ovs-mirror", PublishedBinary.CniEnv("ADD"), "{not json, \"password\":\"hunter2\"");

        run.ExitCode.Should().Be(1);
        var error = JsonNode.Parse(run.StandardOutput)!.AsObject();
        error["code"]!.GetValue<int>().Should().Be(6);
        error.Select(p => p.Key).Should().BeSubsetOf(["cniVersion", "code", "msg", "details"]);
        (run.StandardOutput + run.StandardError).Should().NotContain("hunter2", "stdin is never echoed");
    }

    [OvsFact]
    public async Task AddAndDel_ThroughTheBinary_ChangeOvsdb()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1", "--", "add-port", "br1", "vethp1", "--", "set", "interface", "vethp1", "type=internal");
        var config = new JsonObject
        {
            ["cniVersion"] = "1.0.0", ["name"] = "net1", ["type"] = "ovs-mirror", ["bridge"] = "br1",
            ["socket_file"] = sandbox.DbEndpoint, ["flowRevalidation"] = "none",
            ["mirrors"] = new JsonArray { new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("src_port") } },
            ["prevResult"] = new JsonObject
            {
                ["cniVersion"] = "1.0.0",
                ["interfaces"] = new JsonArray { new JsonObject { ["name"] = "vethp1" }, new JsonObject { ["name"] = "eth1", ["sandbox"] = "/x" } },
            },
        };

        var add = await PublishedBinary.RunAsync("ovs-mirror", PublishedBinary.CniEnv("ADD"), config.ToJsonString());
        add.ExitCode.Should().Be(0, add.StandardOutput + add.StandardError);
        (await sandbox.VsctlAsync("get", "Mirror", "m1", "select_src_port")).Trim()
            .Should().Be($"[{(await sandbox.VsctlAsync("get", "Port", "vethp1", "_uuid")).Trim()}]");

        var del = await PublishedBinary.RunAsync("ovs-mirror", PublishedBinary.CniEnv("DEL"), config.ToJsonString());
        del.ExitCode.Should().Be(0, del.StandardOutput + del.StandardError);
        del.StandardOutput.Should().BeEmpty("DEL prints nothing on success");
        (await sandbox.VsctlAsync("--bare", "--columns=name", "list", "Mirror")).Trim().Should().BeEmpty();
    }

    [OvsFact]
    public async Task ProducerSymlink_AcceptsTheOvsCniSchema()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1", "--", "add-port", "br1", "vethp1", "--", "set", "interface", "vethp1", "type=internal");
        var config = new JsonObject
        {
            ["cniVersion"] = "0.4.0", ["name"] = "net1", ["type"] = "ovs-mirror-producer", ["bridge"] = "br1",
            ["socket_file"] = sandbox.DbEndpoint,
            ["mirrors"] = new JsonArray { new JsonObject { ["name"] = "m1", ["ingress"] = true, ["egress"] = true } },
            ["prevResult"] = new JsonObject
            {
                ["cniVersion"] = "0.4.0",
                ["interfaces"] = new JsonArray { new JsonObject { ["name"] = "vethp1" } },
            },
        };

        var add = await PublishedBinary.RunAsync("ovs-mirror-producer", PublishedBinary.CniEnv("ADD"), config.ToJsonString());

        add.ExitCode.Should().Be(0, add.StandardOutput + add.StandardError);
        var port = (await sandbox.VsctlAsync("get", "Port", "vethp1", "_uuid")).Trim();
        (await sandbox.VsctlAsync("get", "Mirror", "m1", "select_src_port")).Trim().Should().Be($"[{port}]");
        (await sandbox.VsctlAsync("get", "Mirror", "m1", "select_dst_port")).Trim().Should().Be($"[{port}]");
    }
    /// <summary>
    /// Regression (issue 9 §2.3): as ovs-mirror-producer with <c>"type": "ovs-mirror"</c> and ovs-cni's empty
    /// <c>socket_file</c>, ADD used the default socket while DEL, GC and STATUS refused the config with code 7, so the
    /// pod could never be torn down. The binary runs in a private mount namespace whose /run/openvswitch/db.sock (the
    /// default socket) is the sandbox's, so the real default path is what gets used.
    /// </summary>
    [OvsFact]
    public async Task ProducerSymlink_WithOvsCniEmptySocketFile_EveryCommandUsesTheDefaultSocket()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        sandbox.DbSocketPath.Should().NotStartWith("/run/").And.NotStartWith("/var/run/", "the private /run would hide it");
        await sandbox.VsctlAsync("add-br", "br1", "--", "add-port", "br1", "vethp1", "--", "set", "interface", "vethp1", "type=internal");
        var config = new JsonObject
        {
            ["cniVersion"] = "1.1.0", ["name"] = "net1", ["type"] = "ovs-mirror", ["bridge"] = "br1", ["socket_file"] = "",
            ["flowRevalidation"] = "none",
            ["mirrors"] = new JsonArray { new JsonObject { ["name"] = "m1", ["ingress"] = true } },
            ["prevResult"] = new JsonObject
            {
                ["cniVersion"] = "1.1.0",
                ["interfaces"] = new JsonArray { new JsonObject { ["name"] = "vethp1" } },
            },
        };

        Task<ProcessResult> Run(string command)
        {
            var stdin = config.DeepClone().AsObject();
            if (command == "GC")
            {
                stdin["cni.dev/valid-attachments"] = new JsonArray(); // CNI SPEC 1.1 §GC: none is valid any more
            }

            return ProcessRunner.RunAsync(
                "unshare",
                ["--mount", "--propagation", "private", "sh", "-c",
                 "mount -t tmpfs tmpfs /run && mkdir /run/openvswitch && ln -s \"$1\" /run/openvswitch/db.sock && exec \"$2\"",
                 "sh", sandbox.DbSocketPath, PublishedBinary.PathOf("ovs-mirror-producer")],
                TimeSpan.FromSeconds(30), PublishedBinary.CniEnv(command), stdin.ToJsonString());
        }

        var add = await Run("ADD");
        add.ExitCode.Should().Be(0, add.StandardOutput + add.StandardError);
        (await sandbox.VsctlAsync("get", "Mirror", "m1", "select_src_port")).Trim()
            .Should().Be($"[{(await sandbox.VsctlAsync("get", "Port", "vethp1", "_uuid")).Trim()}]");
        foreach (var command in new[] { "CHECK", "STATUS", "GC", "DEL", "DEL" })
        {
            var result = await Run(command);
            result.ExitCode.Should().Be(0, $"{command}: {result.StandardOutput} {result.StandardError}");
            result.StandardOutput.Should().BeEmpty(command);
        }

        (await sandbox.VsctlAsync("--bare", "--columns=name", "list", "Mirror")).Trim().Should().BeEmpty("GC (no valid attachments) or DEL removed it");
    }
}
