namespace OvsMirror.Mirroring.Config;

/// <summary>
/// The proposal's <c>selection</c> words (proposal §NAD approach, SELECTION_ARRAY; DESIGN §2), each mapped to a
/// column of the OVS <c>Mirror</c> table.
/// </summary>
[Flags]
public enum MirrorSelection
{
    /// <summary>No selection: a consumer entry.</summary>
    None = 0,

    /// <summary><c>src_port</c>: packets entering the bridge from the pod's port (<c>Mirror.select_src_port</c>).</summary>
    SrcPort = 1,

    /// <summary><c>dst_port</c>: packets leaving the bridge to the pod's port (<c>Mirror.select_dst_port</c>).</summary>
    DstPort = 2,

    /// <summary><c>all</c>: every packet on the bridge (<c>Mirror.select_all</c>).</summary>
    All = 4,

    /// <summary>
    /// <c>vlan</c>: the mirror-wide VLAN filter (<c>Mirror.select_vlan</c>), with the VLANs of
    /// <see cref="Ovs.MirrorRequest.Vlans"/> or, when that is empty, the pod port's own tag (DESIGN §2).
    /// </summary>
    Vlan = 8,
}
