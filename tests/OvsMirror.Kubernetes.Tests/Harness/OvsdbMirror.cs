namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>A Mirror row, with its port references resolved to port names.</summary>
public sealed record OvsdbMirror(
    string Uuid,
    string Name,
    IReadOnlyList<string> SelectSrcPorts,
    IReadOnlyList<string> SelectDstPorts,
    string? OutputPort,
    IReadOnlyDictionary<string, string> ExternalIds);
