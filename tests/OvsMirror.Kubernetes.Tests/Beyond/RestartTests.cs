using System.Globalization;
using OvsMirror.Kubernetes.Tests.Harness;
using OvsMirror.Kubernetes.Tests.Proposal;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Kubernetes.Tests.Beyond;

/// <summary>
/// Proposal test case 2 (cni-args approach) running, then kubelet restarted, then containerd: the pods keep their
/// sandboxes, br1 keeps the same Mirror rows with the same members (none lost, duplicated or orphaned), and the
/// consumers still see exactly their producers' traffic.
/// </summary>
[Collection(KubernetesGroup.Name)]
public sealed class RestartTests(ClusterFixture cluster, ITestOutputHelper output)
{
    [KubernetesFact]
    public async Task KubeletThenContainerdRestarted_WhilePodsExist_NoMirrorLostDuplicatedOrOrphaned()
    {
        var scenario = new MirrorScenario(cluster, output, ProposalCases.CniArgsTestCase2);
        await scenario.ApplyAsync();
        await scenario.WaitRunningAsync();
        await scenario.VerifyOvsdbAsync();
        var before = await cluster.Ovs.SnapshotAsync();
        var sandboxesBefore = await SandboxIdsAsync(scenario.Selector);

        foreach (var daemon in new[] { "kubelet", "containerd" })
        {
            var restartedAt = DateTimeOffset.UtcNow;
            await ProcessRunner.RunCheckedAsync(RepoPaths.KubernetesScript("restart"), [daemon], TimeSpan.FromSeconds(90));
            // kubelet posts its node status when it starts; containerd is back when it lists every sandbox running again
            var back = await ClusterFixture.WaitForAsync(
                async () => daemon == "kubelet"
                    ? await NodeReadySinceAsync(restartedAt)
                    : await SandboxesRunningAsync(sandboxesBefore.Values),
                TimeSpan.FromSeconds(120),
                daemon == "kubelet" ? "node Ready again (a heartbeat after the kubelet restart)" : "containerd serving every sandbox again");

            var pods = await cluster.WaitForPodsAsync(
                ps => ps.Count > 0 && ps.All(p => p.Phase == "Running" && p.Ready),
                TimeSpan.FromSeconds(120),
                $"every pod Running and Ready after the {daemon} restart",
                scenario.Selector);
            (await SandboxIdsAsync(scenario.Selector)).Should().BeEquivalentTo(sandboxesBefore, "no sandbox was recreated after the {0} restart", daemon);
            pods.Select(p => p.Uid).Should().BeEquivalentTo(sandboxesBefore.Keys);

            var after = await cluster.Ovs.SnapshotAsync();
            after.Mirrors.Select(m => (m.Uuid, m.Name)).Should().BeEquivalentTo(
                before.Mirrors.Select(m => (m.Uuid, m.Name)), "the same Mirror rows after the {0} restart", daemon);
            foreach (var m in before.Mirrors)
            {
                after.SourceNetns(m.Name).Should().BeEquivalentTo(before.SourceNetns(m.Name), "{0} sources after the {1} restart", m.Name, daemon);
                after.OutputNetns(m.Name).Should().Be(before.OutputNetns(m.Name), "{0} output after the {1} restart", m.Name, daemon);
                after.Mirror(m.Name).ExternalIds.Should().BeEquivalentTo(m.ExternalIds, "{0}'s attachment records", m.Name);
            }

            after.PodPorts.Select(p => p.Name).Should().BeEquivalentTo(before.PodPorts.Select(p => p.Name), "no pod port lost or orphaned");
            output.WriteLine(cluster.Figure(
                $"restart {daemon}: back in {back.TotalSeconds:0.0} s; {after.Mirrors.Count} mirrors and " +
                $"{after.PodPorts.Count} pod ports unchanged, {sandboxesBefore.Count} sandboxes kept"));
            await scenario.VerifyTrafficAsync();
        }

        await scenario.DeleteAndVerifyCleanAsync(waitUntilPodsGone: false);
    }

    private async Task<Dictionary<string, string>> SandboxIdsAsync(string selector)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in await cluster.PodsAsync(selector))
        {
            ids[p.Uid] = (await cluster.SandboxAsync(p)).Id;
        }

        return ids;
    }

    private async Task<bool> SandboxesRunningAsync(IEnumerable<string> ids)
    {
        try
        {
            var running = (await cluster.Containerd.RunningTasksAsync()).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
            return ids.All(running.Contains);
        }
        catch (ProcessFailedException)
        {
            return false; // containerd not answering yet
        }
    }

    private async Task<bool> NodeReadySinceAsync(DateTimeOffset since)
    {
        var node = await cluster.Kubectl.GetJsonAsync("get", "node", cluster.Environment["OVS_MIRROR_K8S_NODE"]);
        var ready = node["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready");
        if (ready?["status"]?.GetValue<string>() != "True" || ready["lastHeartbeatTime"]?.GetValue<string>() is not { } beat)
        {
            return false;
        }

        // heartbeats have whole seconds: one in a later second than the restart is from the new process
        var heartbeat = DateTimeOffset.Parse(beat, CultureInfo.InvariantCulture);
        return heartbeat > new DateTimeOffset(since.UtcTicks - (since.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
