namespace OvsMirror.Mirroring.Config;

/// <summary>
/// What the plugin does after a Mirror change so that it applies to flows already installed in the datapath
/// (DESIGN §4: OVS does not revalidate them when a Mirror changes). Config key <c>flowRevalidation</c>.
/// </summary>
internal enum FlowRevalidation
{
    /// <summary><c>"purge"</c> (the default): ask ovs-vswitchd to revalidate (<c>revalidator/purge</c>).</summary>
    Purge,

    /// <summary><c>"none"</c>: leave installed flows alone; a change applies once they expire.</summary>
    None,
}
