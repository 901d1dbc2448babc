namespace OvsMirror.Mirroring.Config;

/// <summary>The proposal's <c>output</c> words (proposal §NAD approach, OUTPUT_TYPE; DESIGN §2).</summary>
internal enum MirrorOutputKind
{
    /// <summary>No output: a producer entry.</summary>
    None,

    /// <summary><c>port</c> (SPAN): the pod's port becomes <c>Mirror.output_port</c>.</summary>
    Port,

    /// <summary><c>vlan</c> (RSPAN): the mirror gets <c>Mirror.output_vlan</c>, which is also added to <c>Bridge.flood_vlans</c>.</summary>
    Vlan,
}
