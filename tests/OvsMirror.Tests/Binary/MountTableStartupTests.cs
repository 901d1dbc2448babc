using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Tests.Binary;

/// <summary>
/// The plugin's runtime does not read the node's mount table at start-up (src/OvsMirror/Native/no-cgroup-scan.c): a
/// stock NativeAOT binary reads all of /proc/self/mountinfo twice before Main, which on a node with hundreds of pod
/// mounts was the larger part of every call (README, "Performance"). The oracle is strace(1): the files the process
/// opened. Each run is in a private mount namespace with <see cref="ExtraMounts"/> more tmpfs mounts, a node's table.
/// </summary>
public sealed class MountTableStartupTests
{
    private const int ExtraMounts = 300;

    private static readonly bool CgroupScanKept = Environment.GetEnvironmentVariable("OVS_MIRROR_CGROUP_SCAN") == "1";

    [OvsFact]
    public async Task Add_OnANodeWithManyMounts_ChangesOvsdb_WithoutOpeningTheMountTableOrTheCgroupFiles()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1", "--", "add-port", "br1", "vethp1", "--", "set", "interface", "vethp1", "type=internal");
        var config = new JsonObject
        {
            ["cniVersion"] = "1.1.0", ["name"] = "net1", ["type"] = "ovs-mirror", ["bridge"] = "br1",
            ["socket_file"] = sandbox.DbEndpoint, ["flowRevalidation"] = "none",
            ["mirrors"] = new JsonArray { new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("src_port") } },
            ["prevResult"] = new JsonObject
            {
                ["cniVersion"] = "1.1.0",
                ["interfaces"] = new JsonArray { new JsonObject { ["name"] = "vethp1" }, new JsonObject { ["name"] = "eth1", ["sandbox"] = "/x" } },
            },
        };

        var (run, opened) = await TraceAsync(PublishedBinary.PathOf("ovs-mirror"), [], Cni("ADD"), config.ToJsonString());

        run.ExitCode.Should().Be(0, run.StandardOutput + run.StandardError);
        JsonNode.Parse(run.StandardOutput)!["interfaces"]!.AsArray().Should().HaveCount(2, "prevResult passes through");
        (await sandbox.VsctlAsync("get", "Mirror", "m1", "select_src_port")).Trim()
            .Should().Be($"[{(await sandbox.VsctlAsync("get", "Port", "vethp1", "_uuid")).Trim()}]");
        if (CgroupScanKept)
        {
            opened.Should().Contain("/proc/self/mountinfo", "OVS_MIRROR_CGROUP_SCAN=1 ./hack/build.sh keeps the runtime's scan");
        }
        else
        {
            opened.Should().NotContain("/proc/self/mountinfo").And.NotContain("/proc/self/cgroup");
            opened.Should().NotContain(path => path.StartsWith("/sys/fs/cgroup/", StringComparison.Ordinal));
            opened.Should().Contain("/proc/meminfo", "the GC still sizes itself from the machine's memory");
        }
    }

    [Fact]
    public async Task TheOperatorCli_KeepsTheRuntimesScan_SoTheOracleSeesOne()
    {
        // The control: a stock NativeAOT start-up under the same trace does open the mount table. Without it, the test
        // above would also pass if strace saw no opens at all.
        var (run, opened) = await TraceAsync(PublishedBinary.PathOf("ovs-mirrorctl"), ["--help"], new Dictionary<string, string>(), "");

        run.ExitCode.Should().Be(0, run.StandardError);
        opened.Should().Contain("/proc/self/mountinfo").And.Contain("/proc/self/cgroup");
    }

    private static Dictionary<string, string> Cni(string command) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = "c-mounts",
        ["CNI_NETNS"] = "/var/run/netns/pod",
        ["CNI_IFNAME"] = "eth1",
        ["CNI_PATH"] = "/opt/cni/bin",
    };

    /// <summary>Runs <paramref name="binary"/> under strace in a private mount namespace with <see cref="ExtraMounts"/>
    /// more mounts; returns its result and every path it opened (successfully or not).</summary>
    private static async Task<(ProcessResult Run, IReadOnlyList<string> Opened)> TraceAsync(
        string binary, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env, string stdin)
    {
        var strace = OvsTools.Find("strace") ?? throw new InvalidOperationException("strace not installed; run hack/test.sh which installs it");
        var unshare = OvsTools.Require("unshare");
        var dir = System.IO.Directory.CreateTempSubdirectory("ovs-mirror-mounts-").FullName;
        try
        {
            var log = Path.Combine(dir, "strace.log");
            // The mounts live only in the namespace: they go when its last process exits.
            var script = "i=0; while [ $i -lt \"$2\" ]; do mkdir -p \"$1/m$i\" && mount -t tmpfs -o size=16k \"m$i\" \"$1/m$i\" || exit 97; i=$((i+1)); done; " +
                         "[ \"$(wc -l < /proc/self/mountinfo)\" -gt \"$2\" ] || exit 98; " +
                         "shift 2; exec \"$@\"";
            var run = await ProcessRunner.RunAsync(unshare,
                ["--mount", "--propagation", "private", "sh", "-c", script, "sh", dir, ExtraMounts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 strace, "-f", "-qq", "-e", "trace=open,openat", "-o", log, binary, .. args],
                TimeSpan.FromSeconds(60), env, stdin);
            run.ExitCode.Should().NotBe(97, "the namespace's mounts: " + run.StandardError).And.NotBe(98, "the extra mounts are in the table");
            var opened = (await File.ReadAllLinesAsync(log))
                .Select(line => line.Split('"'))
                .Where(parts => parts.Length >= 2 && parts[0].Contains("open", StringComparison.Ordinal))
                .Select(parts => parts[1])
                .ToList();
            opened.Should().NotBeEmpty("strace saw the loader open libc at least");
            return (run, opened);
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }
}
