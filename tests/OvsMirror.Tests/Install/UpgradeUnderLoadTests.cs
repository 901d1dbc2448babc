using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using OvsMirror.Testing;
using OvsMirror.Tests.EndToEnd;
using Xunit.Abstractions;

namespace OvsMirror.Tests.Install;

/// <summary>
/// Issue 11 §3: the installer is safe while kubelet calls the plugin. Two callers run ADD, CHECK, DEL and
/// <c>version</c> through the installed files (the binary and the producer symlink) in a loop, against a real
/// ovsdb-server, while the installer replaces the installed build 20 times, alternating between two builds.
/// A half-written binary would fail to exec (ENOEXEC), crash, or answer neither build's version; a write into a
/// running binary would be ETXTBSY on exec. Every one of them would be a failed call here: the bar is 0.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class UpgradeUnderLoadTests(ITestOutputHelper output)
{
    private const int Upgrades = 20;
    private const int Callers = 2;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan UpgradeSeenTimeout = TimeSpan.FromSeconds(60);

    [OvsFact]
    public async Task TwentyUpgradesBetweenTwoBuilds_WhileCallsRun_NoCallFails()
    {
        var builds = new[] { InstallArtifacts.Binary, InstallArtifacts.UpgradePeer };
        var versions = new[] { await InstallArtifacts.BuildOfAsync(builds[0]), await InstallArtifacts.BuildOfAsync(builds[1]) };
        versions[0].Should().NotBe(versions[1], "the two builds must differ");
        File.ReadAllBytes(builds[0]).Should().NotEqual(File.ReadAllBytes(builds[1]));

        using var scratch = new ScratchDirectory();
        var binDir = scratch["cni-bin"];
        Directory.CreateDirectory(binDir);
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        var vsctl = new List<string> { "add-br", "br1" };
        for (var i = 0; i < Callers; i++)
        {
            vsctl.AddRange(["--", "add-port", "br1", $"veth{i}", "--", "set", "interface", $"veth{i}", "type=internal"]);
        }

        await sandbox.VsctlAsync([.. vsctl], CancellationToken.None);
        (await ProcessRunner.RunCheckedAsync(builds[0], ["install", "--cni-bin-dir", binDir], CallTimeout)).StandardOutput.Should().Contain("installed");

        var stats = new CallStats(versions);
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, Callers).Select(i => Task.Run(() => CallLoopAsync(i, binDir, sandbox.DbEndpoint, stats, stop.Token))).ToArray();
        var installsDone = 0;
        try
        {
            for (var u = 1; u <= Upgrades; u++)
            {
                var next = u % 2;   // 1, 0, 1, ...: A -> B -> A ...
                var install = await ProcessRunner.RunCheckedAsync(builds[next], ["install", "--cni-bin-dir", binDir], CallTimeout);
                install.StandardOutput.Should().Contain("replaced (atomic rename)");
                installsDone++;
                // the callers must have run the new build at least once before the next upgrade: the loop and the upgrades overlap
                var seenBefore = stats.CallsOf(next);
                await WaitUntilAsync(() => stats.CallsOf(next) > seenBefore || stats.Failures > 0, UpgradeSeenTimeout, $"a call of build {versions[next]} after upgrade {u}");
                stats.Failures.Should().Be(0, string.Join("\n", stats.FailureMessages));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(callers);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"upgrades: {installsDone}; calls: {stats.Total} ({stats.CallsOf(0)} ran {versions[0]}, {stats.CallsOf(1)} ran {versions[1]}); failed: {stats.Failures}; text file busy: {stats.TextFileBusy}; runs of neither build: {stats.UnknownBuild}"));
        stats.Failures.Should().Be(0, string.Join("\n", stats.FailureMessages));
        stats.TextFileBusy.Should().Be(0);
        stats.UnknownBuild.Should().Be(0);
        installsDone.Should().Be(Upgrades);
        Directory.GetFileSystemEntries(binDir).Select(Path.GetFileName)
            .Should().BeEquivalentTo(["ovs-mirror", "ovs-mirror-producer", "ovs-mirror-consumer"], "no temp file is left behind");
        File.ReadAllBytes(Path.Combine(binDir, "ovs-mirror")).Should().Equal(File.ReadAllBytes(builds[Upgrades % 2]));
        (await sandbox.VsctlAsync("--bare", "--columns=name", "list", "Mirror")).Trim().Should().BeEmpty("every ADD had its DEL");
    }

    private static async Task CallLoopAsync(int caller, string binDir, string db, CallStats stats, CancellationToken stop)
    {
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            // kubelet runs the plugin by the name in the conflist: alternate the binary and the ovs-cni symlink
            var name = round % 2 == 0 ? "ovs-mirror" : "ovs-mirror-producer";
            var containerId = string.Create(CultureInfo.InvariantCulture, $"c{caller}r{round}");
            var config = Config(name, db, $"veth{caller}", $"m{caller}");
            await stats.RunAsync(Path.Combine(binDir, name), ["version"], null, "");
            foreach (var command in new[] { "ADD", "CHECK", "DEL" })
            {
                await stats.RunAsync(Path.Combine(binDir, name), [], CniEnv(command, containerId), config);
            }
        }
    }

    private static string Config(string type, string db, string port, string mirror) => new JsonObject
    {
        ["cniVersion"] = "1.0.0", ["name"] = "net1", ["type"] = type, ["bridge"] = "br1",
        ["socket_file"] = db, ["flowRevalidation"] = "none",
        ["mirrors"] = type == "ovs-mirror"
            ? new JsonArray { new JsonObject { ["name"] = mirror, ["selection"] = new JsonArray("src_port", "dst_port") } }
            : new JsonArray { new JsonObject { ["name"] = mirror, ["ingress"] = true, ["egress"] = true } },
        ["prevResult"] = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["interfaces"] = new JsonArray { new JsonObject { ["name"] = port }, new JsonObject { ["name"] = "eth1", ["sandbox"] = "/x" } },
        },
    }.ToJsonString();

    private static Dictionary<string, string> CniEnv(string command, string containerId) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = "/var/run/netns/pod",
        ["CNI_IFNAME"] = "eth1",
        ["CNI_PATH"] = "/opt/cni/bin",
    };

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition())
        {
            cts.IsCancellationRequested.Should().BeFalse($"waited {timeout.TotalSeconds} s for {what}");
            await Task.Delay(20, CancellationToken.None);   // polling interval of the condition, not a synchronisation
        }
    }

    /// <summary>Counts of the callers' calls, shared by the caller tasks.</summary>
    private sealed class CallStats(string[] versions)
    {
        private readonly Lock gate = new();
        private readonly int[] perBuild = new int[2];
        private readonly List<string> failures = [];

        public int Total { get; private set; }

        public int TextFileBusy { get; private set; }

        public int UnknownBuild { get; private set; }

        public int Failures { get { lock (gate) { return failures.Count; } } }

        public IReadOnlyList<string> FailureMessages { get { lock (gate) { return [.. failures]; } } }

        public int CallsOf(int build) { lock (gate) { return perBuild[build]; } }

        public async Task RunAsync(string file, string[] args, Dictionary<string, string>? env, string stdin)
        {
            string? failure = null;
            var build = -1;
            var busy = false;
            try
            {
                var run = await ProcessRunner.RunAsync(file, args, CallTimeout, env ?? new Dictionary<string, string>(), stdin);
                if (run.ExitCode != 0)
                {
                    failure = $"{run.CommandLine} {env?["CNI_COMMAND"]}: exit {run.ExitCode}: {run.StandardOutput} {run.StandardError}";
                }
                else if (env is null)
                {
                    var line = run.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith("build: ", StringComparison.Ordinal));
                    build = Array.IndexOf(versions, line?["build: ".Length..]);
                    if (build < 0)
                    {
                        failure = $"{file} version printed neither build: {run.StandardOutput}";
                    }
                }
            }
            catch (Win32Exception ex)
            {
                busy = ex.NativeErrorCode == 26;   // ETXTBSY
                failure = $"exec {file}: {ex.Message} (errno {ex.NativeErrorCode})";
            }

            lock (gate)
            {
                Total++;
                if (build >= 0)
                {
                    perBuild[build]++;
                }

                if (failure is not null)
                {
                    failures.Add(failure);
                    TextFileBusy += busy ? 1 : 0;
                    UnknownBuild += env is null && build < 0 && !busy ? 1 : 0;
                }
            }
        }
    }
}
