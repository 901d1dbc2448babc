using System.Diagnostics;
using OvsMirror.Kubernetes.Tests.Harness;
using OvsMirror.Kubernetes.Tests.Proposal;
using Xunit.Abstractions;

namespace OvsMirror.Kubernetes.Tests.Beyond;

/// <summary>
/// Proposal test case 2 (NAD approach), then its second producer Deployment scaled 1 → 5 → 0: mirror-1's
/// select_src_port follows the replicas, its consumer sees every replica's traffic, and scaling to 0 leaves
/// mirror-1 with the first producer only (mirror-2 untouched throughout).
/// </summary>
[Collection(KubernetesGroup.Name)]
public sealed class ScalingTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private const string Producer1 = "ovs-producer-1-vlan100-mir1-mir2";
    private const string Producer2 = "ovs-producer-2-vlan100-mir1";
    private const string Consumer1 = "ovs-consumer1-mir1";

    [KubernetesFact]
    public async Task ProducerDeploymentScaledOneFiveZero_MembershipFollowsAndConsumerSeesEveryReplica()
    {
        var scenario = new MirrorScenario(cluster, output, ProposalCases.NadTestCase2);
        await scenario.ApplyAsync();
        await scenario.WaitRunningAsync();
        await scenario.VerifyOvsdbAsync();
        var producer1Netns = scenario.Pod(Producer1).Sandbox.NetnsPath;

        // 1 -> 5
        var sw = Stopwatch.StartNew();
        await ScaleAsync(5);
        var replicas = await cluster.WaitForPodsAsync(
            ps => ps.Count(p => p.App == Producer2 && p.Phase == "Running" && p.Ready && !p.Terminating) == 5,
            MirrorScenario.PodsRunningTimeout,
            $"{Producer2} scaled to 5",
            scenario.Selector);
        var running = replicas.Where(p => p.App == Producer2 && !p.Terminating).ToList();
        var sandboxes = new List<(ClusterPod Pod, Sandbox Sandbox)>();
        foreach (var p in running)
        {
            sandboxes.Add((p, await cluster.SandboxAsync(p)));
        }

        var toFive = sw.Elapsed;
        var snapshot = await cluster.Ovs.SnapshotAsync();
        snapshot.SourceNetns("mirror-1").Should().BeEquivalentTo(
            sandboxes.Select(s => s.Sandbox.NetnsPath).Append(producer1Netns), "mirror-1's sources: producer 1 and all 5 replicas");
        snapshot.SourceNetns("mirror-2").Should().BeEquivalentTo([producer1Netns], "mirror-2 is untouched");
        snapshot.Mirrors.Should().HaveCount(2, "no mirror is duplicated by concurrent ADDs");

        var file = Path.Combine(cluster.WorkDirectory, "captures", "scale-5-mirror-1.pcap");
        File.Delete(file);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var capture = await PodCapture.StartAsync("mirror-1 at consumer", scenario.Pod(Consumer1).Sandbox, "eth2", file))
        {
            var peer = scenario.PeerFor(new PodInterface(Producer1, "eth1"));
            foreach (var (pod, sandbox) in sandboxes)
            {
                (await ClusterFixture.PingAsync(sandbox, "eth1", peer, MirrorScenario.EchoCount)).Should().Be(MirrorScenario.EchoCount);
            }

            var keys = sandboxes.Select(s => $"{s.Pod.Attachment("eth1").Ipv4}>{peer} echo request").ToList();
            var frames = await capture.WaitUntilAsync(
                f => keys.All(k => f.Count(x => x.EchoKey == k) >= MirrorScenario.EchoCount), TimeSpan.FromSeconds(20));
            foreach (var k in keys)
            {
                counts[k] = frames.Count(x => x.EchoKey == k);
            }
        }

        output.WriteLine(cluster.Figure(
            $"scale 1->5: 5 replicas Running in {toFive.TotalSeconds:0.0} s; consumer of mirror-1 saw per replica " +
            string.Join(", ", counts.Values)));
        counts.Values.Should().AllSatisfy(c => c.Should().Be(MirrorScenario.EchoCount), "the consumer sees every replica's traffic");

        // 5 -> 0
        sw.Restart();
        await ScaleAsync(0);
        var released = await ClusterFixture.WaitForAsync(
            () => Task.FromResult(sandboxes.All(s => !File.Exists(s.Sandbox.NetnsPath))),
            MirrorScenario.NetnsReleasedTimeout,
            "the 5 replicas' netns released");
        await cluster.WaitForPodsAsync(
            ps => !ps.Any(p => p.App == Producer2 && !p.Terminating), MirrorScenario.PodsGoneTimeout, $"{Producer2} scaled to 0", scenario.Selector);
        var toZero = sw.Elapsed;
        snapshot = await cluster.Ovs.SnapshotAsync();
        snapshot.SourceNetns("mirror-1").Should().BeEquivalentTo([producer1Netns], "scaled to 0: mirror-1 keeps producer 1 only");
        snapshot.SourceNetns("mirror-2").Should().BeEquivalentTo([producer1Netns]);
        snapshot.PodPorts.Select(p => p.ContainerNetns).Should().NotIntersectWith(sandboxes.Select(s => s.Sandbox.NetnsPath), "no replica's port is left");
        output.WriteLine(cluster.Figure(
            $"scale 5->0: netns released in {released.TotalSeconds:0.0} s (all terminating after {toZero.TotalSeconds:0.0} s)"));

        await scenario.DeleteAndVerifyCleanAsync(waitUntilPodsGone: false);
    }

    private async Task ScaleAsync(int replicas) =>
        await cluster.Kubectl.RunCheckedAsync(["-n", ClusterFixture.Namespace, "scale", $"deployment/{Producer2}", $"--replicas={replicas}"]);
}
