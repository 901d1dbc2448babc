using OvsMirror.Kubernetes.Tests.Harness;
using Xunit.Abstractions;

namespace OvsMirror.Kubernetes.Tests.Beyond;

/// <summary>
/// The cni-args gate on a real cluster (cni-conf-examples/cniargs-policy.yaml): ovs-rogue asks for mirror-1, which
/// its NAD does not allow (allowedPodMirrors ids-*). Its sandbox is refused with code 101, so it stays in
/// ContainerCreating and its events say so, and nothing of its request reaches OVSDB; the pods within limits run
/// and are mirrored as usual.
/// </summary>
[Collection(KubernetesGroup.Name)]
public sealed class CniArgsGateTests(ClusterFixture cluster, ITestOutputHelper output)
{
    public static readonly MirrorCase Policy = new(
        "cniargs-gate",
        "cniargs-policy.yaml",
        [100],
        [new("ids-1", [new("ovs-prod-1", "eth1")], new("ovs-cons", "eth1"), Destinations: [new("ovs-prod-1", "eth1")])],
        RefusedApps: ["ovs-rogue"]);

    [KubernetesFact]
    public async Task PodAskingForAMirrorItsNadDoesNotAllow_StaysContainerCreatingWithCode101_AndNothingInOvsdb()
    {
        var scenario = new MirrorScenario(cluster, output, Policy);
        await scenario.ApplyAsync();
        await scenario.WaitRunningAsync();

        // the refusal is reported as the sandbox's failure, with the plugin's code
        string events = string.Empty;
        await ClusterFixture.WaitForAsync(
            async () =>
            {
                var rogue = (await cluster.PodsAsync(scenario.Selector)).Single(p => p.App == "ovs-rogue");
                var r = await cluster.Kubectl.RunCheckedAsync(
                    ["-n", ClusterFixture.Namespace, "get", "events", "--field-selector", $"involvedObject.name={rogue.Name}", "-o", "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}"]);
                events = r.StandardOutput;
                return events.Contains("FailedCreatePodSandBox", StringComparison.Ordinal) && events.Contains("error code 101", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(90),
            "ovs-rogue's FailedCreatePodSandBox event with code 101");
        var rogue = (await cluster.PodsAsync(scenario.Selector)).Single(p => p.App == "ovs-rogue");
        rogue.Phase.Should().Be("Pending", "a refused ADD fails the sandbox: the pod stays ContainerCreating");
        rogue.Ready.Should().BeFalse();
        (await cluster.Containerd.RunningSandboxAsync(rogue.Uid)).Should().BeNull("the refused pod has no running sandbox");
        output.WriteLine(cluster.Figure($"cniargs-gate: ovs-rogue event: {events.Split('\n').First(l => l.Contains("error code 101", StringComparison.Ordinal)).Trim()}"));

        // OVSDB holds exactly the allowed mirror (no mirror-1), with the allowed pods only
        await scenario.VerifyOvsdbAsync();
        var snapshot = await cluster.Ovs.SnapshotAsync();
        snapshot.Mirrors.Single().ExternalIds.Keys.Count(k => k.StartsWith("ovs-mirror/a/", StringComparison.Ordinal))
            .Should().Be(2, "ids-1 records ovs-prod-1's and ovs-cons' attachments, nothing of ovs-rogue");
        await scenario.VerifyTrafficAsync();
        await scenario.DeleteAndVerifyCleanAsync(waitUntilPodsGone: false);
    }
}
