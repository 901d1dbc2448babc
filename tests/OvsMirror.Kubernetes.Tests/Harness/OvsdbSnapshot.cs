namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>The Mirror and Port tables and the bridge's <c>mirrors</c> column, read at one moment.</summary>
public sealed record OvsdbSnapshot(
    IReadOnlyList<OvsdbMirror> Mirrors,
    IReadOnlyList<OvsdbPort> Ports,
    IReadOnlyList<string> BridgeMirrorUuids,
    IReadOnlyList<string> BridgePortUuids)
{
    /// <summary>The ports ovs-cni made for pods (those with <c>contNetns</c>).</summary>
    public IReadOnlyList<OvsdbPort> PodPorts => [.. Ports.Where(p => p.ContainerNetns is not null)];

    /// <summary>Every <c>external_ids</c> key ovs-mirror wrote (<c>ovs-mirror/...</c>), on any mirror or port.</summary>
    public IReadOnlyList<string> OvsMirrorRecords =>
    [
        .. Mirrors.SelectMany(m => m.ExternalIds.Keys.Select(k => $"Mirror {m.Name}: {k}")),
        .. Ports.SelectMany(p => p.ExternalIds.Keys.Where(k => k.StartsWith("ovs-mirror/", StringComparison.Ordinal)).Select(k => $"Port {p.Name}: {k}")),
    ];
}
