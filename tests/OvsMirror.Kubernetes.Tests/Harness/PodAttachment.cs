namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>One entry of a pod's <c>k8s.v1.cni.cncf.io/network-status</c> annotation (what Multus reports).</summary>
public sealed record PodAttachment(string Network, string Interface, IReadOnlyList<string> Ips, string? Mac)
{
    public string Ipv4 => Ips.FirstOrDefault(ip => ip.Contains('.', StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"{Network}/{Interface} has no IPv4 address ({string.Join(", ", Ips)})");
}
