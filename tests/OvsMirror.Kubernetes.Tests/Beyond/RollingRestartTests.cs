using System.Diagnostics;
using System.Text.Json.Nodes;
using OvsMirror.Kubernetes.Tests.Harness;
using OvsMirror.Kubernetes.Tests.Proposal;
using Xunit.Abstractions;

namespace OvsMirror.Kubernetes.Tests.Beyond;

/// <summary>
/// A rolling restart of a producer Deployment while its traffic flows (proposal test case 3, NAD approach): the
/// producer's own container pings its VLAN's peer, so each new pod sends from its first second. The consumer keeps
/// seeing the traffic, first from the old pod and then from the new one; the largest gap between two mirrored
/// requests during the rollout is the figure.
/// </summary>
[Collection(KubernetesGroup.Name)]
public sealed class RollingRestartTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private const string Producer = "ovs-prod-1";
    private const string Consumer = "ovs-cons";
    private static readonly TimeSpan RolloutTimeout = TimeSpan.FromSeconds(240);

    /// <summary>Generous: a gap this long means the mirror lost its source, not scheduling noise.</summary>
    private static readonly TimeSpan MaxGap = TimeSpan.FromSeconds(20);

    [KubernetesFact]
    public async Task ProducerRollingRestart_WhileTrafficFlows_ConsumerKeepsSeeingIt()
    {
        var scenario = new MirrorScenario(cluster, output, ProposalCases.NadTestCase3);
        await scenario.ApplyAsync();
        await scenario.WaitRunningAsync();
        await scenario.VerifyOvsdbAsync();
        var peer = scenario.PeerFor(new PodInterface(Producer, "eth1"));

        // the producer's container sends its own traffic (a template change: this is a first rollout)
        var patch = new JsonArray(new JsonObject
        {
            ["op"] = "replace",
            ["path"] = "/spec/template/spec/containers/0/command",
            ["value"] = new JsonArray("/bin/sh", "-c", $"trap 'exit 0' TERM; ping -q -I eth1 -i 0.2 {peer} & wait $!"),
        });
        await cluster.Kubectl.RunCheckedAsync(
            ["-n", ClusterFixture.Namespace, "patch", $"deployment/{Producer}", "--type=json", "-p", patch.ToJsonString()]);
        await RolloutStatusAsync();
        var oldPod = await SingleRunningAsync(Producer, scenario.Selector);
        var oldSandbox = await cluster.SandboxAsync(oldPod);
        var oldIp = oldPod.Attachment("eth1").Ipv4;

        var file = Path.Combine(cluster.WorkDirectory, "captures", "rolling-producer-mirror-1.pcap");
        File.Delete(file);
        var consumer = await cluster.SandboxAsync(await SingleRunningAsync(Consumer, scenario.Selector));
        await using var capture = await PodCapture.StartAsync("mirror-1 at ovs-cons/eth2", consumer, "eth2", file);
        string Key(string ip) => $"{ip}>{peer} echo request";
        await capture.WaitUntilAsync(f => f.Count(x => x.EchoKey == Key(oldIp)) >= 5, TimeSpan.FromSeconds(30));

        var sw = Stopwatch.StartNew();
        var restartedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        await cluster.Kubectl.RunCheckedAsync(["-n", ClusterFixture.Namespace, "rollout", "restart", $"deployment/{Producer}"]);
        await RolloutStatusAsync();
        var rolledOut = sw.Elapsed;
        await ClusterFixture.WaitForAsync(
            () => Task.FromResult(!File.Exists(oldSandbox.NetnsPath)), MirrorScenario.NetnsReleasedTimeout, "the old producer pod's netns released");

        var newPod = await SingleRunningAsync(Producer, scenario.Selector);
        var newIp = newPod.Attachment("eth1").Ipv4;
        newPod.Uid.Should().NotBe(oldPod.Uid);
        var frames = await capture.WaitUntilAsync(f => f.Count(x => x.EchoKey == Key(newIp)) >= 5, TimeSpan.FromSeconds(30));

        var requests = frames.Where(f => f.EchoKey == Key(oldIp) || f.EchoKey == Key(newIp)).Select(f => f.Time).Order().ToList();
        var window = requests.Where(t => t >= restartedAt - 1).ToList();
        var gaps = window.Zip(window.Skip(1), (a, b) => b - a).DefaultIfEmpty(0).ToList();
        var maxGap = TimeSpan.FromSeconds(gaps.Max());
        var lastOld = frames.Where(f => f.EchoKey == Key(oldIp)).Max(f => f.Time);
        var firstNew = frames.Where(f => f.EchoKey == Key(newIp)).Min(f => f.Time);
        output.WriteLine(cluster.Figure(
            $"rolling restart of {Producer}: rollout {rolledOut.TotalSeconds:0.0} s; largest gap in mirrored requests " +
            $"{maxGap.TotalSeconds:0.00} s (ping interval 0.2 s); old and new pod overlap {lastOld - firstNew:0.0} s"));

        frames.Count(f => f.EchoKey == Key(oldIp)).Should().BeGreaterThan(0, "the old pod's traffic was mirrored");
        frames.Count(f => f.EchoKey == Key(newIp)).Should().BeGreaterThanOrEqualTo(5, "the new pod's traffic is mirrored");
        maxGap.Should().BeLessThan(MaxGap, "the consumer keeps seeing the producer's traffic through the rollout");
        var snapshot = await cluster.Ovs.SnapshotAsync();
        snapshot.SourceNetns("mirror-1").Should().BeEquivalentTo([(await cluster.SandboxAsync(newPod)).NetnsPath], "mirror-1's source is the new pod");
        await capture.DisposeAsync();
        await scenario.DeleteAndVerifyCleanAsync(waitUntilPodsGone: false);
    }

    private async Task<ClusterPod> SingleRunningAsync(string app, string selector) =>
        (await cluster.WaitForPodsAsync(
            ps => ps.Count(p => p.App == app && !p.Terminating) == 1 && ps.Any(p => p.App == app && p.Phase == "Running" && p.Ready && !p.Terminating),
            MirrorScenario.PodsRunningTimeout,
            $"one running pod of {app}",
            selector)).Single(p => p.App == app && !p.Terminating);

    private async Task RolloutStatusAsync() =>
        await cluster.Kubectl.RunCheckedAsync(
            ["-n", ClusterFixture.Namespace, "rollout", "status", $"deployment/{Producer}", $"--timeout={RolloutTimeout.TotalSeconds:0}s"],
            timeout: RolloutTimeout + TimeSpan.FromSeconds(30));
}
