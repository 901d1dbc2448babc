namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>
/// A test that needs the one-node cluster of <c>hack/k8s/up</c>. Skipped, naming the missing file, where the
/// peer sources (Multus, ovs-cni) are absent; skipped when no cluster is up unless
/// <c>OVS_MIRROR_K8S_REQUIRED=1</c> (hack/test.sh sets it after bringing the cluster up), so that a plain
/// <c>dotnet test</c> of the solution still runs everything else.
/// </summary>
public sealed class KubernetesFactAttribute : FactAttribute
{
    public KubernetesFactAttribute()
    {
        if (ClusterEnvironment.SkipReason() is { } reason)
        {
            Skip = reason;
        }
    }
}
