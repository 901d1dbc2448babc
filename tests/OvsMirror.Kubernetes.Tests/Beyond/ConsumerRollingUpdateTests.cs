using System.Diagnostics;
using OvsMirror.Kubernetes.Tests.Harness;
using OvsMirror.Kubernetes.Tests.Proposal;
using Xunit.Abstractions;

namespace OvsMirror.Kubernetes.Tests.Beyond;

/// <summary>
/// A consumer Deployment's rollout (proposal test case 3, NAD approach; ovs-cons is the output of mirror-1 and
/// mirror-2). A mirror has one output: with the default RollingUpdate strategy (maxSurge 25% = 1 pod,
/// maxUnavailable 0) the new consumer's ADD is refused with code 100 while the old pod owns the outputs, and the
/// old pod is not stopped until the new one is Ready, so the rollout stalls. The documented semantics is
/// <c>strategy: Recreate</c> for consumer Deployments: the old pod's DEL frees the outputs, and the new pod's
/// retried ADD takes them. The gap (no output on br1) is the figure.
/// </summary>
[Collection(KubernetesGroup.Name)]
public sealed class ConsumerRollingUpdateTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private const string Consumer = "ovs-cons";
    private static readonly TimeSpan RolloutTimeout = TimeSpan.FromSeconds(240);

    [KubernetesFact]
    public async Task ConsumerRollout_DefaultStrategyStallsOnCode100_RecreateHandsTheOutputsOver()
    {
        var scenario = new MirrorScenario(cluster, output, ProposalCases.NadTestCase3);
        await scenario.ApplyAsync();
        await scenario.WaitRunningAsync();
        await scenario.VerifyOvsdbAsync();
        var oldPod = scenario.Pod(Consumer);

        // 1. default strategy: the surge pod is refused (code 100) while the old pod keeps both outputs
        var sw = Stopwatch.StartNew();
        await RolloutRestartAsync();
        var events = string.Empty;
        await ClusterFixture.WaitForAsync(
            async () =>
            {
                var fresh = (await cluster.PodsAsync(scenario.Selector)).Where(p => p.App == Consumer && p.Uid != oldPod.Pod.Uid).ToList();
                if (fresh.Count == 0)
                {
                    return false;
                }

                events = await PodEventsAsync(fresh[0].Name);
                return events.Contains("FailedCreatePodSandBox", StringComparison.Ordinal) && events.Contains("error code 100", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(120),
            "the surge consumer pod's FailedCreatePodSandBox with code 100");
        var refusedAfter = sw.Elapsed;
        var snapshot = await cluster.Ovs.SnapshotAsync();
        snapshot.OutputNetns("mirror-1").Should().Be(oldPod.Sandbox.NetnsPath, "the old consumer keeps mirror-1's output");
        snapshot.OutputNetns("mirror-2").Should().Be(oldPod.Sandbox.NetnsPath, "the old consumer keeps mirror-2's output");
        (await cluster.PodsAsync(scenario.Selector)).Single(p => p.Uid == oldPod.Pod.Uid).Terminating.Should().BeFalse("the rollout waits for the new pod, which cannot start");
        output.WriteLine(cluster.Figure(
            $"consumer rollout (RollingUpdate): new pod refused with code 100 after {refusedAfter.TotalSeconds:0.0} s; the rollout stalls " +
            $"(old pod keeps the outputs): {events.Split('\n').First(l => l.Contains("error code 100", StringComparison.Ordinal)).Trim()}"));

        // 2. the documented semantics: strategy Recreate. The old pod goes first; its DEL frees the outputs.
        var gap = await MeasureHandoverAsync(
            () => cluster.Kubectl.RunCheckedAsync(
                ["-n", ClusterFixture.Namespace, "patch", $"deployment/{Consumer}", "--type=merge",
                 "-p", """{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}"""]),
            oldPod.Sandbox.NetnsPath);
        output.WriteLine(cluster.Figure($"consumer rollout switched to Recreate: outputs handed over, gap {gap.TotalSeconds:0.0} s without an output"));

        // 3. a rollout under Recreate
        var current = await cluster.SandboxAsync(await SingleRunningAsync(scenario.Selector));
        gap = await MeasureHandoverAsync(RolloutRestartAsync, current.NetnsPath);
        output.WriteLine(cluster.Figure($"consumer rollout (Recreate): gap {gap.TotalSeconds:0.0} s without an output"));

        // the new consumer sees the producers' traffic
        var newPod = await SingleRunningAsync(scenario.Selector);
        var sandbox = await cluster.SandboxAsync(newPod);
        var file = Path.Combine(cluster.WorkDirectory, "captures", "consumer-recreate-mirror-1.pcap");
        File.Delete(file);
        await using (var capture = await PodCapture.StartAsync("mirror-1 at the new ovs-cons/eth2", sandbox, "eth2", file))
        {
            var producer = new PodInterface("ovs-prod-1", "eth1");
            (await ClusterFixture.PingAsync(scenario.Pod(producer.App).Sandbox, "eth1", scenario.PeerFor(producer), MirrorScenario.EchoCount))
                .Should().Be(MirrorScenario.EchoCount);
            var key = $"{scenario.Ip(producer)}>{scenario.PeerFor(producer)} echo request";
            var frames = await capture.WaitUntilAsync(f => f.Count(x => x.EchoKey == key) >= MirrorScenario.EchoCount, TimeSpan.FromSeconds(20));
            frames.Count(x => x.EchoKey == key).Should().Be(MirrorScenario.EchoCount, "the new consumer is mirror-1's output");
        }

        await scenario.DeleteAndVerifyCleanAsync(waitUntilPodsGone: false);
    }

    /// <summary>
    /// Runs <paramref name="trigger"/>, waits until a new consumer pod owns both outputs, and returns the time br1
    /// had no output for mirror-1 (polled), from the old consumer's port leaving to the new one's arriving.
    /// </summary>
    private async Task<TimeSpan> MeasureHandoverAsync(Func<Task> trigger, string oldNetns)
    {
        await trigger();
        var sw = Stopwatch.StartNew();
        TimeSpan? lost = null;
        string? newNetns = null;
        while (newNetns is null)
        {
            var s = await cluster.Ovs.SnapshotAsync();
            var out1 = s.Mirrors.Any(m => m.Name == "mirror-1") ? s.OutputNetns("mirror-1") : null;
            var out2 = s.Mirrors.Any(m => m.Name == "mirror-2") ? s.OutputNetns("mirror-2") : null;
            if (out1 != oldNetns && lost is null)
            {
                lost = sw.Elapsed;
            }

            if (out1 is not null && out1 != oldNetns && out2 == out1)
            {
                newNetns = out1;
            }
            else if (sw.Elapsed > RolloutTimeout)
            {
                throw new TimeoutException($"no new consumer took the outputs within {RolloutTimeout.TotalSeconds:0} s\n{await cluster.RecentEventsAsync()}");
            }
            else
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }

        await cluster.Kubectl.RunCheckedAsync(
            ["-n", ClusterFixture.Namespace, "rollout", "status", $"deployment/{Consumer}", $"--timeout={RolloutTimeout.TotalSeconds:0}s"],
            timeout: RolloutTimeout + TimeSpan.FromSeconds(30));
        return sw.Elapsed - lost!.Value;
    }

    private async Task RolloutRestartAsync() =>
        await cluster.Kubectl.RunCheckedAsync(["-n", ClusterFixture.Namespace, "rollout", "restart", $"deployment/{Consumer}"]);

    private async Task<string> PodEventsAsync(string pod) =>
        (await cluster.Kubectl.RunCheckedAsync(
            ["-n", ClusterFixture.Namespace, "get", "events", "--field-selector", $"involvedObject.name={pod}",
             "-o", "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}"])).StandardOutput;

    private async Task<ClusterPod> SingleRunningAsync(string selector) =>
        (await cluster.WaitForPodsAsync(
            ps => ps.Count(p => p.App == Consumer && !p.Terminating) == 1 && ps.Any(p => p.App == Consumer && p.Phase == "Running" && p.Ready && !p.Terminating),
            MirrorScenario.PodsRunningTimeout,
            "one running consumer pod",
            selector)).Single(p => p.App == Consumer && !p.Terminating);
}
