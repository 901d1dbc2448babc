using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>
/// One case on the real cluster, step by step: apply the example's YAML (adapted by <see cref="ManifestAdapter"/>)
/// plus the harness's peer pods; wait until every pod runs; check br1's Mirror rows with ovs-vsctl, each member
/// mapped back to its pod through ovs-cni's <c>contNetns</c>; send traffic and check each consumer's capture; then
/// delete everything and check that each sandbox's netns is released, every pod leaves the API, and no Mirror
/// row, ovs-mirror record, pod port or veth is left.
/// </summary>
public sealed class MirrorScenario(ClusterFixture cluster, ITestOutputHelper output, MirrorCase mirrorCase)
{
    public const int EchoCount = 3;
    public static readonly TimeSpan PodsRunningTimeout = TimeSpan.FromSeconds(240);
    public static readonly TimeSpan NetnsReleasedTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan PodsGoneTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CaptureTimeout = TimeSpan.FromSeconds(20);
    private readonly Dictionary<string, (ClusterPod Pod, Sandbox Sandbox)> pods = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (string A, string B)> peerNames = [];
    private JsonObject applied = new();
    private IReadOnlyList<string> deploymentNames = [];

    public MirrorCase Case => mirrorCase;

    /// <summary>This run's label value: every pod it makes carries it (see <see cref="ManifestAdapter.RunLabel"/>).</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The label selector of this run's pods.</summary>
    public string Selector => $"{ManifestAdapter.RunLabel}={RunId}";

    /// <summary>Every step, in order.</summary>
    public async Task RunAsync(bool waitUntilPodsGone = true)
    {
        await ApplyAsync();
        await WaitRunningAsync();
        await VerifyOvsdbAsync();
        await VerifyTrafficAsync();
        await DeleteAndVerifyCleanAsync(waitUntilPodsGone);
    }

    public (ClusterPod Pod, Sandbox Sandbox) Pod(string app) =>
        pods.TryGetValue(app, out var p) ? p : throw new InvalidOperationException($"no running pod with app={app}");

    public async Task ApplyAsync()
    {
        await EnsureNamespaceEmptyAsync(cluster);
        var adapter = cluster.NewAdapter(RunId);
        var items = await cluster.Kubectl.ReadManifestAsync(RepoPaths.Example(mirrorCase.ExampleFile));
        var list = adapter.Adapt(items);
        deploymentNames = [.. list["items"]!.AsArray()
            .Where(i => i!["kind"]!.GetValue<string>() == "Deployment")
            .Select(i => i!["metadata"]!["name"]!.GetValue<string>())];
        foreach (var vlan in mirrorCase.PeerVlans)
        {
            var nad = $"k8s-peer-vlan{vlan}";
            var networks = new JsonArray(new JsonObject { ["name"] = nad, ["interface"] = "eth1", ["namespace"] = ClusterFixture.Namespace });
            list["items"]!.AsArray().Add(adapter.PlainNad(nad, ClusterFixture.Namespace, vlan));
            // the app label names the peer; the pod's name is this run's (a pod of that name from an earlier run
            // may still be terminating, and applying over it would not make a new pod)
            var names = ($"peer-vlan{vlan}-a", $"peer-vlan{vlan}-b");
            list["items"]!.AsArray().Add(adapter.Pod($"{names.Item1}-{RunId}", ClusterFixture.Namespace, networks, names.Item1));
            list["items"]!.AsArray().Add(adapter.Pod($"{names.Item2}-{RunId}", ClusterFixture.Namespace, networks, names.Item2));
            peerNames[vlan] = names;
        }

        applied = list;
        await cluster.Kubectl.ApplyAsync(list);
    }

    public async Task WaitRunningAsync()
    {
        var sw = Stopwatch.StartNew();
        var apps = deploymentNames.Except(mirrorCase.RefusedAppsOrEmpty)
            .Concat(peerNames.Values.SelectMany(p => new[] { p.A, p.B })).ToList();
        var running = await cluster.WaitForPodsAsync(
            ps => apps.All(app => ps.Count(p => p.App == app && p.Phase == "Running" && p.Ready && !p.Terminating) == 1),
            PodsRunningTimeout,
            $"{mirrorCase.Name}: one running pod per app ({string.Join(", ", apps)})",
            Selector);
        foreach (var app in apps)
        {
            var pod = running.Single(p => p.App == app && !p.Terminating);
            pods[app] = (pod, await cluster.SandboxAsync(pod));
        }

        Log($"{mirrorCase.Name}: {apps.Count} pods Running in {sw.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>br1 holds exactly the expected Mirror rows, their members mapped back to pods by ovs-cni's external_ids.</summary>
    public async Task VerifyOvsdbAsync()
    {
        var snapshot = await cluster.Ovs.SnapshotAsync();
        snapshot.Mirrors.Select(m => m.Name).Should().BeEquivalentTo(
            mirrorCase.Mirrors.Select(m => m.Name), "{0}: one Mirror row per name, and no other", mirrorCase.Name);
        snapshot.BridgeMirrorUuids.Should().BeEquivalentTo(snapshot.Mirrors.Select(m => m.Uuid), "every Mirror row is on br1");
        foreach (var expected in mirrorCase.Mirrors)
        {
            var row = snapshot.Mirrors.Single(m => m.Name == expected.Name);
            row.SelectSrcPorts.Select(p => PortOwner(snapshot, p)).Should().BeEquivalentTo(
                expected.Sources.Select(s => s.ToString()), "{0} select_src_port", expected.Name);
            row.SelectDstPorts.Select(p => PortOwner(snapshot, p)).Should().BeEquivalentTo(
                expected.DestinationsOrEmpty.Select(s => s.ToString()), "{0} select_dst_port", expected.Name);
            (row.OutputPort is null ? null : PortOwner(snapshot, row.OutputPort)).Should().Be(
                expected.Output?.ToString(), "{0} output_port", expected.Name);
        }

        Log($"{mirrorCase.Name}: OVSDB " + string.Join("; ", snapshot.Mirrors.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m =>
            $"{m.Name} src=[{string.Join(",", m.SelectSrcPorts.Select(p => PortOwner(snapshot, p)))}] " +
            $"dst=[{string.Join(",", m.SelectDstPorts.Select(p => PortOwner(snapshot, p)))}] " +
            $"out={(m.OutputPort is null ? "-" : PortOwner(snapshot, m.OutputPort))}")));
    }

    /// <summary>
    /// Unmirrored traffic first (the peers ping each other), then each source pings its VLAN's peer: each consumer
    /// sees exactly its mirror's sources' echo requests (and destinations' replies), and nothing else over IPv4.
    /// </summary>
    public async Task VerifyTrafficAsync()
    {
        // one capture per output port; a port that is the output of several mirrors gets each packet once
        // (OVS sends a packet selected by several mirrors to one output port once)
        var outputs = mirrorCase.Mirrors.Where(m => m.Output is not null).GroupBy(m => m.Output!).ToList();
        var captures = new List<(PodInterface Output, IReadOnlyList<ExpectedMirror> Mirrors, PodCapture Capture)>();
        try
        {
            foreach (var g in outputs)
            {
                var (pod, sandbox) = Pod(g.Key.App);
                var names = string.Join("+", g.Select(m => m.Name));
                var file = Path.Combine(cluster.WorkDirectory, "captures", $"{mirrorCase.Name}-{names}-{pod.Name}-{g.Key.Interface}.pcap");
                File.Delete(file);
                captures.Add((g.Key, [.. g], await PodCapture.StartAsync($"{names} at {g.Key}", sandbox, g.Key.Interface, file)));
            }

            foreach (var (vlan, (a, b)) in peerNames)
            {
                var replies = await ClusterFixture.PingAsync(Pod(a).Sandbox, "eth1", Ip(b, "eth1"), EchoCount);
                replies.Should().Be(EchoCount, "peer {0} pings {1} on VLAN {2}", a, b, vlan);
            }

            var senders = mirrorCase.Mirrors.SelectMany(m => m.Sources.Concat(m.DestinationsOrEmpty)).Distinct().ToList();
            foreach (var s in senders)
            {
                var replies = await ClusterFixture.PingAsync(Pod(s.App).Sandbox, s.Interface, PeerFor(s), EchoCount);
                replies.Should().Be(EchoCount, "{0} pings its VLAN's peer {1}", s, PeerFor(s));
            }

            foreach (var (outputPort, mirrors, capture) in captures)
            {
                var names = string.Join("+", mirrors.Select(m => m.Name));
                var expected = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var s in mirrors.SelectMany(m => m.Sources))
                {
                    expected[$"{Ip(s)}>{PeerFor(s)} echo request"] = EchoCount;
                }

                foreach (var d in mirrors.SelectMany(m => m.DestinationsOrEmpty))
                {
                    expected[$"{PeerFor(d)}>{Ip(d)} echo reply"] = EchoCount;
                }

                var frames = await capture.WaitUntilAsync(f => Reached(f, expected), CaptureTimeout);
                var echoes = frames.Where(f => f.EchoKey is not null).GroupBy(f => f.EchoKey!)
                    .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                var sourceIps = mirrors.SelectMany(m => m.Sources).Select(Ip).ToHashSet(StringComparer.Ordinal);
                var destinationIps = mirrors.SelectMany(m => m.DestinationsOrEmpty).Select(Ip).ToHashSet(StringComparer.Ordinal);
                var strangers = frames.Where(f => f.IsIPv4 && !sourceIps.Contains(f.Source!) && !destinationIps.Contains(f.Destination!))
                    .Concat(frames.Where(f => f.IsArp && destinationIps.Count == 0 && !sourceIps.Contains(f.Source ?? string.Empty)))
                    .ToList();
                Log($"{mirrorCase.Name}: {names} at {outputPort}: {frames.Count} frames (IPv6 excluded), " +
                    string.Join(", ", echoes.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Value}x {e.Key}")));
                echoes.Should().BeEquivalentTo(expected, "{0}'s consumer {1} sees exactly its sources' traffic; capture {2}", names, outputPort, capture.File);
                strangers.Should().BeEmpty("{0}'s consumer sees nothing from unmirrored pods; capture {1}", names, capture.File);
            }
        }
        finally
        {
            foreach (var (_, _, c) in captures)
            {
                await c.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Deletes everything the case applied. Every sandbox's netns is released within 60 s (containerd releases it
    /// only after a successful CNI DEL), every pod leaves the API within 90 s (unless
    /// <paramref name="waitUntilPodsGone"/> is false: then kubelet's container GC is not waited for), and br1 is
    /// back to no mirrors and no pod ports, with no veth of theirs left.
    /// </summary>
    public async Task DeleteAndVerifyCleanAsync(bool waitUntilPodsGone = true)
    {
        var snapshot = await cluster.Ovs.SnapshotAsync();
        var hostVeths = snapshot.PodPorts.Select(p => p.Name).ToList();
        // every sandbox of this run still running (replicas and rollouts included), and the pods it started with
        var current = await cluster.PodsAsync(Selector);
        var podUids = current.Select(p => p.Uid).Concat(pods.Values.Select(p => p.Pod.Uid)).Distinct().ToList();
        var netns = pods.Values.Select(p => p.Sandbox.NetnsPath).ToList();
        foreach (var p in current)
        {
            if (await cluster.Containerd.RunningSandboxAsync(p.Uid) is { } sandbox)
            {
                netns.Add(sandbox.NetnsPath);
            }
        }

        netns = [.. netns.Distinct()];
        var sw = Stopwatch.StartNew();
        await cluster.Kubectl.RunCheckedAsync(["delete", "-f", "-", "--wait=false", "--ignore-not-found"], applied.ToJsonString());
        var released = await ClusterFixture.WaitForAsync(
            () => Task.FromResult(netns.All(n => !File.Exists(n))),
            NetnsReleasedTimeout,
            $"{mirrorCase.Name}: every sandbox's netns released (CNI DEL done): left {string.Join(", ", netns.Where(File.Exists))}");
        if (waitUntilPodsGone)
        {
            await cluster.WaitForPodsAsync(
                ps => ps.Count == 0, PodsGoneTimeout - sw.Elapsed + TimeSpan.FromSeconds(1), $"{mirrorCase.Name}: every pod gone from the API", Selector);
        }

        var gone = sw.Elapsed;
        var after = await cluster.Ovs.SnapshotAsync();
        Log($"{mirrorCase.Name}: delete: netns released in {released.TotalSeconds:0.0} s" +
            (waitUntilPodsGone ? $", pods gone in {gone.TotalSeconds:0.0} s" : string.Empty));
        after.Mirrors.Should().BeEmpty("{0}: no Mirror row is left", mirrorCase.Name);
        after.BridgeMirrorUuids.Should().BeEmpty();
        after.OvsMirrorRecords.Should().BeEmpty("no ovs-mirror attachment record is left");
        after.PodPorts.Should().BeEmpty("no pod port is left on br1");
        hostVeths.Where(HostInterfaceExists).Should().BeEmpty("no host veth of a deleted pod is left");
        gone.Should().BeLessThan(PodsGoneTimeout);
        // every CNI DEL of theirs is done: whatever kubelet still shows of them is not in the next test's way
        cluster.ReleasedPodUids.UnionWith(podUids);
    }

    /// <summary>
    /// Deletes whatever a failed earlier test left in the namespace, and waits until it is gone (pods whose
    /// deletion an earlier test already checked may stay until kubelet's container GC).
    /// </summary>
    public static async Task EnsureNamespaceEmptyAsync(ClusterFixture cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var ns = ClusterFixture.Namespace;
        bool Clean(IReadOnlyList<ClusterPod> ps) => ps.All(p => cluster.ReleasedPodUids.Contains(p.Uid));
        var existing = await cluster.PodsAsync();
        var nads = await cluster.Kubectl.RunCheckedAsync(["-n", ns, "get", "network-attachment-definitions", "-o", "name"]);
        if (Clean(existing) && string.IsNullOrWhiteSpace(nads.StandardOutput))
        {
            return;
        }

        await cluster.Kubectl.RunCheckedAsync(["-n", ns, "delete", "deployments,replicasets,pods,network-attachment-definitions", "--all", "--wait=false"]);
        await cluster.WaitForPodsAsync(Clean, TimeSpan.FromSeconds(150), "left-over pods gone");
    }

    public string Ip(PodInterface p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return Ip(p.App, p.Interface);
    }

    public string Ip(string app, string interfaceName) => Pod(app).Pod.Attachment(interfaceName).Ipv4;

    /// <summary>The address of the peer on the same VLAN (same /16) as this attachment.</summary>
    public string PeerFor(PodInterface p)
    {
        var octet = Ip(p).Split('.')[1];
        var vlan = peerNames.Keys.SingleOrDefault(v => VlanSubnet.SecondOctet(v).ToString(CultureInfo.InvariantCulture) == octet, -1);
        vlan.Should().NotBe(-1, "the case has a peer on the VLAN of {0} ({1})", p, Ip(p));
        return Ip(peerNames[vlan].A, "eth1");
    }

    private string PortOwner(OvsdbSnapshot snapshot, string portName)
    {
        var port = snapshot.Ports.FirstOrDefault(p => p.Name == portName);
        if (port?.ContainerNetns is not { } netns)
        {
            return $"(port {portName} without contNetns)";
        }

        var owner = pods.FirstOrDefault(kv => kv.Value.Sandbox.NetnsPath == netns);
        return owner.Key is null ? $"(port {portName} of unknown netns {netns})" : $"{owner.Key}/{port.ContainerInterface}";
    }

    private static bool Reached(IReadOnlyList<CapturedFrame> frames, Dictionary<string, int> expected) =>
        expected.All(e => frames.Count(f => f.EchoKey == e.Key) >= e.Value);

    private static bool HostInterfaceExists(string name) => Directory.Exists(Path.Combine("/sys/class/net", name));

    private void Log(string text) => output.WriteLine(cluster.Figure(text));
}
