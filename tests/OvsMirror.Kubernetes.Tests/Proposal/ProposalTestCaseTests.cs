using OvsMirror.Kubernetes.Tests.Harness;
using Xunit.Abstractions;

namespace OvsMirror.Kubernetes.Tests.Proposal;

/// <summary>
/// The proposal's six cases through kubelet, containerd, Multus, ovs-cni's <c>ovs</c> and ovs-mirror: OVSDB
/// after ADD, packets at each consumer, and a clean delete (see <see cref="MirrorScenario"/>).
/// </summary>
[Collection(KubernetesGroup.Name)]
public sealed class ProposalTestCaseTests(ClusterFixture cluster, ITestOutputHelper output)
{
    [KubernetesFact]
    public Task NadTestCase1_ProduceToTwoMirrorsConsumeOne_MirrorsPacketsAndCleanDelete() =>
        new MirrorScenario(cluster, output, ProposalCases.NadTestCase1).RunAsync();

    [KubernetesFact]
    public Task NadTestCase2_TwoProducersTwoConsumers_MirrorsPacketsAndCleanDelete() =>
        new MirrorScenario(cluster, output, ProposalCases.NadTestCase2).RunAsync();

    [KubernetesFact]
    public Task NadTestCase3_OneConsumerOfTwoMirrors_MirrorsPacketsAndCleanDelete() =>
        new MirrorScenario(cluster, output, ProposalCases.NadTestCase3).RunAsync();

    [KubernetesFact]
    public Task CniArgsTestCase1_PodPicksItsMirrors_MirrorsPacketsAndCleanDelete() =>
        new MirrorScenario(cluster, output, ProposalCases.CniArgsTestCase1).RunAsync();

    [KubernetesFact]
    public Task CniArgsTestCase2_TwoProducersTwoConsumers_MirrorsPacketsAndCleanDelete() =>
        new MirrorScenario(cluster, output, ProposalCases.CniArgsTestCase2).RunAsync();

    [KubernetesFact]
    public Task CniArgsTestCase3_OnePodTwiceOnOneNad_MirrorsPacketsAndCleanDelete() =>
        new MirrorScenario(cluster, output, ProposalCases.CniArgsTestCase3).RunAsync();
}
