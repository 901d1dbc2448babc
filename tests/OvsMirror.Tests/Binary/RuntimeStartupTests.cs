using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Tests.Binary;

/// <summary>
/// What the plugin's runtime does before Main (issue 14, README "Performance"). It does not read the node's mount
/// table (src/OvsMirror/Native/no-cgroup-scan.c): a stock NativeAOT binary reads all of /proc/self/mountinfo twice,
/// which on a node with hundreds of pod mounts was the larger part of every call. Its GC gets an explicit gen0 budget
/// and a 1 GiB address range (src/OvsMirror/OvsMirror.csproj), so it neither reads the CPU caches' sizes from sysfs (where the
/// stock runtime does) nor reserves 256 GiB. The oracle is strace(1): the files the process opened and the reservations it made. Each run is in
/// a private mount namespace with <see cref="ExtraMounts"/> more tmpfs mounts, a node's table.
/// </summary>
public sealed class RuntimeStartupTests
{
    private const int ExtraMounts = 300;

    private static readonly bool CgroupScanKept = Environment.GetEnvironmentVariable("OVS_MIRROR_CGROUP_SCAN") == "1";

    [OvsFact]
    public async Task Add_OnANodeWithManyMounts_ChangesOvsdb_WithoutReadingTheMountTableTheCgroupsOrTheCacheSizes()
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

        var (run, trace) = await TraceAsync(PublishedBinary.PathOf("ovs-mirror"), [], PublishedBinary.CniEnv("ADD", "c-mounts"), config.ToJsonString());
        var opened = trace.Opened;

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

        // The stock runtime reads the caches' sizes from sysfs on some hosts (this project's VMs), not on all: where the
        // control (the operator CLI, stock GC settings) does, the plugin, with GCgen0size compiled in, must not.
        var (_, stock) = await TraceAsync(PublishedBinary.PathOf("ovs-mirrorctl"), ["--help"], new Dictionary<string, string>(), "");
        if (stock.Opened.Any(IsCacheSize))
        {
            opened.Should().NotContain(path => IsCacheSize(path), "GCgen0size is compiled in: the GC does not size gen0 from the caches");
        }

        trace.ReservedBytes.Should().Contain(b => b >= 1L << 30, "the heap's range, GCRegionRange=1 GiB")
            .And.NotContain(b => b >= 2L << 30, "not the default 256 GiB");
    }

    [OvsFact]
    public async Task Add_WithAPrevResultNearTheStdinLimit_PassesItThroughUnchanged()
    {
        // About 900 KB of prevResult: the call allocates about 7 MB, more than the 4 MiB gen0 budget compiled into the
        // binary, so the GC collects during it (measured: one gen0 GC; an ordinary call allocates about 100 KB, none).
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1", "--", "add-port", "br1", "vethp1", "--", "set", "interface", "vethp1", "type=internal");
        var interfaces = new JsonArray { new JsonObject { ["name"] = "vethp1" } };
        for (var i = 0; i < 10_000; i++)
        {
            interfaces.Add(new JsonObject { ["name"] = $"eth{i}", ["mac"] = "02:00:00:00:00:01", ["sandbox"] = $"/var/run/netns/pod-{i}" });
        }

        var prevResult = new JsonObject { ["cniVersion"] = "1.1.0", ["interfaces"] = interfaces };
        var config = new JsonObject
        {
            ["cniVersion"] = "1.1.0", ["name"] = "net1", ["type"] = "ovs-mirror", ["bridge"] = "br1",
            ["socket_file"] = sandbox.DbEndpoint, ["flowRevalidation"] = "none",
            ["mirrors"] = new JsonArray { new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("src_port") } },
            ["prevResult"] = prevResult.DeepClone(),
        };

        var stdin = config.ToJsonString();
        stdin.Length.Should().BeInRange(800_000, 1024 * 1024, "near the plugin's 1 MiB stdin limit, within it");

        var run = await PublishedBinary.RunAsync("ovs-mirror", PublishedBinary.CniEnv("ADD", "c-mounts"), stdin);

        run.ExitCode.Should().Be(0, run.StandardError);
        JsonNode.DeepEquals(JsonNode.Parse(run.StandardOutput), prevResult).Should().BeTrue("prevResult passes through unchanged");
        (await sandbox.VsctlAsync("get", "Mirror", "m1", "select_src_port")).Trim()
            .Should().Be($"[{(await sandbox.VsctlAsync("get", "Port", "vethp1", "_uuid")).Trim()}]");
    }

    [Fact]
    public async Task TheOperatorCli_KeepsTheRuntimesScan_SoTheOracleSeesOne()
    {
        // The control: a stock NativeAOT start-up under the same trace does open the mount table and reserves 256 GiB.
        // Without it, the test above would also pass if strace saw nothing.
        var (run, trace) = await TraceAsync(PublishedBinary.PathOf("ovs-mirrorctl"), ["--help"], new Dictionary<string, string>(), "");

        run.ExitCode.Should().Be(0, run.StandardError);
        trace.Opened.Should().Contain("/proc/self/mountinfo").And.Contain("/proc/self/cgroup");
        trace.ReservedBytes.Should().Contain(b => b >= 2L << 30, "the stock GC reserves its default range (256 GiB)");
    }

    private static bool IsCacheSize(string path) => path.StartsWith("/sys/devices/system/cpu/cpu0/cache/", StringComparison.Ordinal);

    /// <summary>Runs <paramref name="binary"/> under strace in a private mount namespace with <see cref="ExtraMounts"/>
    /// more mounts; returns its result, every path it opened (successfully or not) and the size of every PROT_NONE
    /// mapping it made (address space reserved, not used).</summary>
    private static async Task<(ProcessResult Run, Trace Trace)> TraceAsync(
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
                 strace, "-f", "-qq", "-e", "trace=open,openat,mmap", "-o", log, binary, .. args],
                TimeSpan.FromSeconds(60), env, stdin);
            run.ExitCode.Should().NotBe(97, "the namespace's mounts: " + run.StandardError).And.NotBe(98, "the extra mounts are in the table");
            var lines = await File.ReadAllLinesAsync(log);
            var opened = lines
                .Select(line => line.Split('"'))
                .Where(parts => parts.Length >= 2 && parts[0].Contains("open", StringComparison.Ordinal))
                .Select(parts => parts[1])
                .ToList();
            // "[pid N] mmap(NULL, 1073745920, PROT_NONE, ...) = 0x..."
            var reserved = lines
                .Select(line => line.IndexOf("mmap(", StringComparison.Ordinal) is var at and >= 0 ? line[(at + 5)..].Split(", ") : [])
                .Where(fields => fields.Length > 2 && fields[2] == "PROT_NONE")
                .Select(fields => long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
            opened.Should().NotBeEmpty("strace saw the loader open libc at least");
            return (run, new Trace(opened, reserved));
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    private sealed record Trace(IReadOnlyList<string> Opened, IReadOnlyList<long> ReservedBytes);
}
