namespace OvsMirror.Mirroring.Config;

/// <summary>What an attachment is to a mirror (DESIGN §1).</summary>
internal enum MirrorRole
{
    /// <summary>A source: the pod's port goes into <c>select_src_port</c>/<c>select_dst_port</c>, or the mirror gets <c>select_all</c>/<c>select_vlan</c>.</summary>
    Producer,

    /// <summary>The output: the pod's port becomes <c>output_port</c> (SPAN), or the mirror gets <c>output_vlan</c> (RSPAN).</summary>
    Consumer,
}
