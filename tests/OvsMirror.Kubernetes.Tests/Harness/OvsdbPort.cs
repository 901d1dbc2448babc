namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>
/// A Port row of the rig's OVSDB. ovs-cni's <c>ovs</c> writes <c>external_ids:contNetns</c> and
/// <c>contIface</c> on the ports it creates: that maps a port back to its pod's sandbox, independently of ovs-mirror.
/// </summary>
public sealed record OvsdbPort(string Uuid, string Name, IReadOnlyDictionary<string, string> ExternalIds)
{
    public string? ContainerNetns => ExternalIds.GetValueOrDefault("contNetns");

    public string? ContainerInterface => ExternalIds.GetValueOrDefault("contIface");
}
