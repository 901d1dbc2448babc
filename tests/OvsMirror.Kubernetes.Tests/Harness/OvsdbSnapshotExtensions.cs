namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>A mirror's members as the network namespaces of their pods (ovs-cni's <c>contNetns</c>).</summary>
public static class OvsdbSnapshotExtensions
{
    public static IReadOnlyList<string> SourceNetns(this OvsdbSnapshot snapshot, string mirror) =>
        NetnsOf(snapshot, Mirror(snapshot, mirror).SelectSrcPorts);

    public static IReadOnlyList<string> DestinationNetns(this OvsdbSnapshot snapshot, string mirror) =>
        NetnsOf(snapshot, Mirror(snapshot, mirror).SelectDstPorts);

    public static string? OutputNetns(this OvsdbSnapshot snapshot, string mirror) =>
        Mirror(snapshot, mirror).OutputPort is { } port ? NetnsOf(snapshot, [port]).Single() : null;

    public static OvsdbMirror Mirror(this OvsdbSnapshot snapshot, string name)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var rows = snapshot.Mirrors.Where(m => m.Name == name).ToList();
        return rows.Count == 1
            ? rows[0]
            : throw new InvalidOperationException($"{rows.Count} Mirror rows named {name} (expected exactly one)");
    }

    private static List<string> NetnsOf(OvsdbSnapshot snapshot, IEnumerable<string> ports) =>
        [.. ports.Select(p => snapshot.Ports.FirstOrDefault(r => r.Name == p)?.ContainerNetns ?? $"(port {p} without contNetns)")];
}
