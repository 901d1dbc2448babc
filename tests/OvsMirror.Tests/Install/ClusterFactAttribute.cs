namespace OvsMirror.Tests.Install;

/// <summary>A test against a real API server: skipped, with the reason, unless OVS_MIRROR_KUBECONFIG names a kubeconfig (e.g. hack/k8s's).</summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public const string KubeconfigVariable = "OVS_MIRROR_KUBECONFIG";

    public ClusterFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(KubeconfigVariable)))
        {
            Skip = $"no cluster: set {KubeconfigVariable} to a kubeconfig (a client dry run also needs an API server)";
        }
    }
}
