namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>What one Mirror row on br1 must hold: its sources (select_src_port / select_dst_port) and output.</summary>
public sealed record ExpectedMirror(
    string Name,
    IReadOnlyList<PodInterface> Sources,
    PodInterface? Output,
    IReadOnlyList<PodInterface>? Destinations = null)
{
    public IReadOnlyList<PodInterface> DestinationsOrEmpty => Destinations ?? [];
}
