namespace OvsMirror.Mirroring.Config;

/// <summary>Which schema a config's mirror entries follow (DESIGN §2).</summary>
internal enum ConfigSchema
{
    /// <summary>ovs-mirror's own: <c>{name, selection, vlans, snaplen}</c> or <c>{name, output, outputVlan, snaplen}</c>.</summary>
    OvsMirror,

    /// <summary>ovs-cni's <c>ovs-mirror-producer</c>: <c>{name, ingress, egress}</c>.</summary>
    OvsCniProducer,

    /// <summary>ovs-cni's <c>ovs-mirror-consumer</c>: <c>{name}</c>.</summary>
    OvsCniConsumer,
}
