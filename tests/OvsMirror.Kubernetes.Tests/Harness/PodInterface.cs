namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>One attachment of one pod, by the pod's <c>app</c> label (its Deployment's name) and interface.</summary>
public sealed record PodInterface(string App, string Interface)
{
    public override string ToString() => $"{App}/{Interface}";
}
