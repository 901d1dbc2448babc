using OvsMirror.Kubernetes.Tests.Harness;
using Xunit.Abstractions;

namespace OvsMirror.Kubernetes.Tests.Beyond;

/// <summary>
/// NADs written for ovs-cni's own <c>ovs-mirror-producer</c> / <c>ovs-mirror-consumer</c> (cni-conf-examples/ovscni-compat.yaml)
/// work unchanged with ovs-mirror's drop-in names: ingress = select_src_port, egress = select_dst_port, and one
/// consumer port is the output of both mirrors.
/// </summary>
[Collection(KubernetesGroup.Name)]
public sealed class OvsCniDropInTests(ClusterFixture cluster, ITestOutputHelper output)
{
    public static readonly MirrorCase DropIn = new(
        "ovscni-dropin",
        "ovscni-compat.yaml",
        [100],
        [
            new("mirror-1", [new("ovs-prod-1", "eth1")], new("ovs-cons", "eth1"), Destinations: [new("ovs-prod-1", "eth1")]),
            new("mirror-2", [new("ovs-prod-1", "eth1")], new("ovs-cons", "eth1")),
        ]);

    [KubernetesFact]
    public Task OvsCniSchemaNads_IngressEgressAndSharedOutput_MirrorsPacketsAndCleanDelete() =>
        new MirrorScenario(cluster, output, DropIn).RunAsync(waitUntilPodsGone: false);
}
