namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>One cluster, one bridge, shared mirror names: the Kubernetes tests run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KubernetesGroup : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Kubernetes";
}
