using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using OvsMirror.Kubernetes.Tests.Harness;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Kubernetes.Tests.Install;

/// <summary>
/// ovs-mirror installed as README "Install on Kubernetes" says: hack/k8s/up imports the image into the node's
/// containerd and applies deploy/ovs-mirror.yaml (hack/k8s/deploy), so every other test of this suite runs the plugin
/// the DaemonSet installed. Here: that the installed file is the image's, a rolling update to a second build while
/// producer pods start and stop (no start may fail), and what deleting the DaemonSet leaves (README "Uninstall").
/// Oracles: kubectl (DaemonSet and pod status, events), the OCI archive itself (sha256 of its binary), the files in
/// the CNI bin dir, and ovs-vsctl (each producer's port in the mirror).
/// </summary>
[Collection(KubernetesGroup.Name)]
public sealed class DaemonSetInstallTests(ClusterFixture cluster, ITestOutputHelper output)
{
    /// <summary>nad-tc2.yaml's second producer NAD: VLAN 100, a source of mirror-1 (no consumer needed).</summary>
    private const string ProducerNad = "ovs-vlan100-prod-mir-1";
    private const string Mirror = "mirror-1";
    private const string ProducerApp = "ds-producer";

    /// <summary>Concurrent start/stop loops: more ADDs and DELs in flight while the installer renames the new build in.</summary>
    private const int Loops = 2;

    private const int StartsBeforeRollout = 2;
    private const int StartsAfterRollout = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan LoopTimeout = TimeSpan.FromMinutes(6);

    private OvsMirrorDaemonSet DaemonSet => new(cluster.Kubectl);

    private string InstalledBinary => Path.Combine(cluster.Environment.CniBinDirectory, "ovs-mirror");

    [KubernetesFact]
    public async Task Up_InstalledThePluginThroughTheDaemonSet_TheCniBinDirHoldsTheImagesBinary()
    {
        var image = OvsMirrorImage.Load(cluster.Environment.ImageDirectory);

        var pod = await VerifyInstalledAsync(image);

        var log = OvsMirrorDaemonSet.InstallLog(pod);
        output.WriteLine(cluster.Figure($"ds/ovs-mirror: {image.Reference} ({image.Version}) in {cluster.Environment.CniBinDirectory}; install log: {log.Replace('\n', ';')}"));
        log.Should().Contain(InstalledBinary.Replace(cluster.Environment.CniBinDirectory, "/host/opt/cni/bin", StringComparison.Ordinal),
            "the init container wrote through its hostPath mount");
    }

    [KubernetesFact]
    public async Task RollingUpdateToASecondBuild_WhileProducerPodsStartAndStop_NoPodStartFails()
    {
        var first = OvsMirrorImage.Load(cluster.Environment.ImageDirectory);
        var second = OvsMirrorImage.Load(RepoPaths.UpgradePeerImageDirectory);
        second.BinarySha256.Should().NotBe(first.BinarySha256, "the rolling update goes to another build");
        second.BinarySha256.Should().Be(OvsMirrorImage.Sha256Of(RepoPaths.UpgradePeerBinary), "the second image holds hack/build.sh's upgrade peer");
        await VerifyInstalledAsync(first);
        var (adapter, runId, nadList) = await ApplyProducerNadAsync();
        var selector = adapter.Selector;
        var starts = new ConcurrentQueue<PodStart>();
        try
        {
            using var stop = new CancellationTokenSource();
            var sequence = 0;
            async Task LoopAsync()
            {
                while (!stop.IsCancellationRequested)
                {
                    var name = $"{ProducerApp}-{runId[..6]}-{Interlocked.Increment(ref sequence):000}";
                    starts.Enqueue(await StartAndStopAsync(adapter, selector, name));
                }
            }

            // the moment the installer renamed the new build over the old one (inotify: IN_MOVED_TO of "ovs-mirror")
            DateTimeOffset? replacedAt = null;
            using var watcher = new FileSystemWatcher(cluster.Environment.CniBinDirectory, "ovs-mirror");
            watcher.Renamed += (_, e) => replacedAt ??= DateTimeOffset.UtcNow;
            watcher.EnableRaisingEvents = true;

            var loop = Stopwatch.StartNew();
            var loops = Enumerable.Range(0, Loops).Select(_ => Task.Run(LoopAsync)).ToList();
            await ClusterFixture.WaitForAsync(
                () => Task.FromResult(starts.Count >= StartsBeforeRollout || loops.Any(t => t.IsCompleted)), LoopTimeout, "producer pods started before the rollout");
            var rolloutFrom = DateTimeOffset.UtcNow;
            var (line, took) = await OvsMirrorDaemonSet.DeployAsync(second.Directory);
            var rolloutTo = DateTimeOffset.UtcNow;
            await ClusterFixture.WaitForAsync(
                () => Task.FromResult(starts.Count(s => s.Created >= rolloutTo) >= StartsAfterRollout || loops.Any(t => t.IsCompleted)),
                LoopTimeout - loop.Elapsed,
                "producer pods started after the rollout");
            await stop.CancelAsync();
            await Task.WhenAll(loops);   // a loop that threw fails the test here

            await VerifyInstalledAsync(second);
            OvsMirrorImage.Sha256Of(InstalledBinary).Should().Be(OvsMirrorImage.Sha256Of(RepoPaths.UpgradePeerBinary));
            var all = starts.ToList();
            var failedEvents = await FailureEventsAsync(all.Select(s => s.Name));
            var during = all.Count(s => s.Overlaps(rolloutFrom, rolloutTo));
            var beforeSwap = replacedAt is { } r ? all.Count(s => s.Created < r) : -1;
            var latencies = all.Where(s => s.Ready is not null).Select(s => s.Ready!.Value.TotalSeconds).Order().ToList();
            output.WriteLine(cluster.Figure(
                $"ds rolling update {first.Version} -> {second.Version}: {line}; hack/k8s/deploy {took.TotalSeconds:0.0} s, " +
                $"binary replaced {(replacedAt is { } at ? $"{(at - rolloutFrom).TotalSeconds:0.0} s" : "(not seen)")} after the apply; " +
                $"{all.Count} producer pod starts ({Loops} loops, {loop.Elapsed.TotalSeconds:0} s): {during} overlapping the rollout, " +
                $"{beforeSwap} created before the swap; failed starts {all.Count(s => s.Failed)}, Failed* events {failedEvents.Count}; " +
                $"create->Ready median {Median(latencies):0.0} s, max {latencies.DefaultIfEmpty(0).Max():0.0} s"));
            foreach (var s in all.Where(s => s.Failed))
            {
                output.WriteLine($"FAILED {s}");
            }

            all.Where(s => s.Failed).Should().BeEmpty("every producer pod started during the rolling update became Ready, was in {0}, and was released on delete", Mirror);
            failedEvents.Should().BeEmpty("kubelet reported no failed sandbox (no CNI ADD/DEL error) for any producer pod");
            during.Should().BeGreaterThan(0, "pods were starting while the DaemonSet rolled");
            all.Count(s => s.Created >= rolloutTo).Should().BeGreaterThanOrEqualTo(StartsAfterRollout, "pods start with the new build too");
            replacedAt.Should().NotBeNull("the init container of the new pod renamed the new build into the CNI bin dir");
            var snapshot = await cluster.Ovs.SnapshotAsync();
            snapshot.Mirrors.Should().BeEmpty("{0} went with its last member", Mirror);
            snapshot.PodPorts.Should().BeEmpty();
        }
        finally
        {
            await CleanUpAsync(nadList, selector);
            var (restored, _) = await OvsMirrorDaemonSet.DeployAsync(first.Directory);
            output.WriteLine($"restored: {restored}");
        }

        await VerifyInstalledAsync(first);
    }

    [KubernetesFact]
    public async Task DeletingTheDaemonSet_LeavesThePluginInstalled_PodsStillAttachAndDetach_UninstallRemovesIt()
    {
        var image = OvsMirrorImage.Load(cluster.Environment.ImageDirectory);
        await VerifyInstalledAsync(image);
        var inode = await InodeAsync(InstalledBinary);
        var (adapter, runId, nadList) = await ApplyProducerNadAsync();
        var selector = adapter.Selector;
        try
        {
            // README "Uninstall": kubectl delete -f artifacts/image/ovs-mirror.yaml
            var sw = Stopwatch.StartNew();
            await cluster.Kubectl.RunCheckedAsync(["delete", "-f", image.Manifest, "--wait=true"], timeout: TimeSpan.FromSeconds(120));
            await ClusterFixture.WaitForAsync(
                async () => await DaemonSet.GetAsync() is null && (await DaemonSet.PodsAsync()).Count == 0,
                TimeSpan.FromSeconds(120),
                "ds/ovs-mirror and its pod gone");
            var deleted = sw.Elapsed;

            OvsMirrorImage.Sha256Of(InstalledBinary).Should().Be(image.BinarySha256, "deleting the DaemonSet leaves the plugin installed (README)");
            (await InodeAsync(InstalledBinary)).Should().Be(inode, "nothing rewrote it");
            foreach (var link in new[] { "ovs-mirror-producer", "ovs-mirror-consumer" })
            {
                new FileInfo(Path.Combine(cluster.Environment.CniBinDirectory, link)).LinkTarget.Should().Be("ovs-mirror");
            }

            var start = await StartAndStopAsync(adapter, selector, $"{ProducerApp}-{runId[..6]}-nods");
            start.Failed.Should().BeFalse("a producer pod attaches and detaches with no DaemonSet: {0}", start);
            (await FailureEventsAsync([start.Name])).Should().BeEmpty();

            // README "Uninstall", on the node: ovs-mirror uninstall --cni-bin-dir DIR removes only what is ours
            var dir = cluster.Environment.CniBinDirectory;
            var others = Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Except(["ovs-mirror", "ovs-mirror-producer", "ovs-mirror-consumer"]).ToList();
            var uninstall = await ProcessRunner.RunCheckedAsync(InstalledBinary, ["uninstall", "--cni-bin-dir", dir], TimeSpan.FromSeconds(30));
            Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Should().BeEquivalentTo(others, "uninstall removed ovs-mirror and its two links, nothing else");
            output.WriteLine(cluster.Figure(
                $"ds/ovs-mirror deleted in {deleted.TotalSeconds:0.0} s: plugin left in place (same inode), a producer pod started " +
                $"({start.Ready?.TotalSeconds:0.0} s) and was deleted without it; uninstall: {uninstall.StandardOutput.Trim().Replace('\n', ';')}"));
        }
        finally
        {
            await CleanUpAsync(nadList, selector);
            var (restored, _) = await OvsMirrorDaemonSet.DeployAsync(image.Directory);
            output.WriteLine($"restored: {restored}");
        }

        await VerifyInstalledAsync(image);
    }

    /// <summary>
    /// The DaemonSet rolled out <paramref name="image"/> and the CNI bin dir holds its binary: status (kubectl), the
    /// pod's images and init container, the file's sha256 against the archive's, the links, and <c>ovs-mirror version</c>.
    /// Returns the pod.
    /// </summary>
    private async Task<JsonNode> VerifyInstalledAsync(OvsMirrorImage image)
    {
        var ds = await DaemonSet.GetAsync() ?? throw new InvalidOperationException("no ds/ovs-mirror in kube-system");
        var status = ds["status"]!;
        int Count(string key) => status[key]?.GetValue<int>() ?? 0;
        Count("desiredNumberScheduled").Should().Be(1, "one node");
        Count("updatedNumberScheduled").Should().Be(1);
        Count("numberAvailable").Should().Be(1);
        status["observedGeneration"]!.GetValue<long>().Should().Be(ds["metadata"]!["generation"]!.GetValue<long>());

        var pods = (await DaemonSet.PodsAsync()).Where(p => p["metadata"]!["deletionTimestamp"] is null).ToList();
        pods.Should().HaveCount(1);
        var pod = pods[0];
        pod["spec"]!["initContainers"]![0]!["image"]!.GetValue<string>().Should().Be(image.Reference);
        pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>().Should().Be(image.Reference);
        pod["status"]!["initContainerStatuses"]![0]!["state"]!["terminated"]!["exitCode"]!.GetValue<int>().Should().Be(0);
        pod["status"]!["containerStatuses"]![0]!["ready"]!.GetValue<bool>().Should().BeTrue();
        pod["spec"]!["volumes"]!.AsArray().Select(v => v!["hostPath"]?["path"]?.GetValue<string>()).Where(p => p is not null)
            .Should().Equal([cluster.Environment.CniBinDirectory], "hack/k8s/deploy changes only the hostPath, to the rig's CNI bin dir");

        OvsMirrorImage.Sha256Of(InstalledBinary).Should().Be(image.BinarySha256, "the CNI bin dir holds the image's /usr/bin/ovs-mirror");
        foreach (var link in new[] { "ovs-mirror-producer", "ovs-mirror-consumer" })
        {
            new FileInfo(Path.Combine(cluster.Environment.CniBinDirectory, link)).LinkTarget.Should().Be("ovs-mirror");
        }

        var version = await ProcessRunner.RunCheckedAsync(InstalledBinary, ["version"], TimeSpan.FromSeconds(30));
        version.StandardOutput.Split('\n').Should().Contain("build: " + image.Version);
        return pod;
    }

    /// <summary>A fresh namespace with the producer NAD of nad-tc2.yaml (adapted to the rig as every case is).</summary>
    private async Task<(ManifestAdapter Adapter, string RunId, JsonObject NadList)> ApplyProducerNadAsync()
    {
        await MirrorScenario.EnsureNamespaceEmptyAsync(cluster);
        var runId = Guid.NewGuid().ToString("N")[..12];
        var adapter = cluster.NewAdapter(runId);
        var items = await cluster.Kubectl.ReadManifestAsync(RepoPaths.Example("nad-tc2.yaml"));
        var nad = items.Where(i => i!["kind"]!.GetValue<string>() == "NetworkAttachmentDefinition" && i["metadata"]!["name"]!.GetValue<string>() == ProducerNad)
            .Select(i => i!.DeepClone()).ToList();
        nad.Should().HaveCount(1);
        var list = adapter.Adapt(new JsonArray([.. nad]));
        await cluster.Kubectl.ApplyAsync(list);
        return (adapter, runId, list);
    }

    /// <summary>
    /// Creates one producer pod, waits until it is Ready, checks with ovs-vsctl that its port is a source of the mirror,
    /// deletes it and waits until its sandbox's netns is released (containerd releases it only after a successful DEL).
    /// </summary>
    private async Task<PodStart> StartAndStopAsync(ManifestAdapter adapter, string selector, string name)
    {
        var networks = new JsonArray(new JsonObject { ["name"] = ProducerNad, ["interface"] = "eth1", ["namespace"] = ClusterFixture.Namespace });
        var created = DateTimeOffset.UtcNow;
        var sw = Stopwatch.StartNew();
        TimeSpan? ready = null;
        var attached = false;
        try
        {
            await cluster.Kubectl.ApplyAsync(adapter.Pod(name, ClusterFixture.Namespace, networks, ProducerApp));
            var pod = (await cluster.WaitForPodsAsync(
                ps => ps.Any(p => p.Name == name && p.Phase == "Running" && p.Ready), StartTimeout, $"pod {name} Ready", selector)).Single(p => p.Name == name);
            ready = sw.Elapsed;
            var sandbox = await cluster.SandboxAsync(pod);
            var snapshot = await cluster.Ovs.SnapshotAsync();
            attached = snapshot.Mirrors.Count(m => m.Name == Mirror) == 1 && snapshot.SourceNetns(Mirror).Contains(sandbox.NetnsPath);
            await cluster.Kubectl.RunCheckedAsync(["-n", ClusterFixture.Namespace, "delete", "pod", name, "--wait=false"]);
            await ClusterFixture.WaitForAsync(
                () => Task.FromResult(!File.Exists(sandbox.NetnsPath)), MirrorScenario.NetnsReleasedTimeout, $"pod {name}: netns released");
            cluster.ReleasedPodUids.Add(pod.Uid);
            return new PodStart(name, created, ready, attached, Released: true, attached ? null : $"its port is not a source of {Mirror}");
        }
        catch (Exception e) when (e is TimeoutException or ProcessFailedException)
        {
            await cluster.Kubectl.RunAsync(["-n", ClusterFixture.Namespace, "delete", "pod", name, "--wait=false", "--ignore-not-found"]);
            return new PodStart(name, created, ready, attached, Released: false, e.Message);
        }
    }

    /// <summary>kubelet's warning events (reason Failed*: FailedCreatePodSandBox, FailedKillPod, ...) for these pods.</summary>
    private async Task<IReadOnlyList<string>> FailureEventsAsync(IEnumerable<string> podNames)
    {
        var names = podNames.ToHashSet(StringComparer.Ordinal);
        var events = await cluster.Kubectl.GetJsonAsync("-n", ClusterFixture.Namespace, "get", "events");
        return [.. (events["items"]?.AsArray() ?? [])
            .Where(e => names.Contains(e!["involvedObject"]?["name"]?.GetValue<string>() ?? string.Empty)
                && (e["reason"]?.GetValue<string>() ?? string.Empty).StartsWith("Failed", StringComparison.Ordinal))
            .Select(e => $"{e!["involvedObject"]!["name"]}: {e["reason"]}: {e["message"]}")];
    }

    private async Task CleanUpAsync(JsonObject nadList, string selector)
    {
        await cluster.Kubectl.RunAsync(["-n", ClusterFixture.Namespace, "delete", "pods", "-l", selector, "--wait=false"]);
        await cluster.Kubectl.RunAsync(["delete", "-f", "-", "--ignore-not-found", "--wait=false"], nadList.ToJsonString());
    }

    private static async Task<string> InodeAsync(string file) =>
        (await ProcessRunner.RunCheckedAsync("stat", ["-c", "%i", file], TimeSpan.FromSeconds(10))).StandardOutput.Trim();

    private static double Median(List<double> sorted) => sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
}
