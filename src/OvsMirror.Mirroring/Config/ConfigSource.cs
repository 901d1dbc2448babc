namespace OvsMirror.Mirroring.Config;

/// <summary>Who asked for a mirror: the admin's NAD, or the pod through cni-args (DESIGN §1, "cni-args approach").</summary>
internal enum ConfigSource
{
    /// <summary>The plugin's own <c>mirrors</c> key, written by an admin (proposal §1, NAD approach).</summary>
    Nad,

    /// <summary><c>args.cni.mirrors</c>, the pod annotation's <c>cni-args</c> as Multus passes it (proposal §2, cni-args approach).</summary>
    PodArgs,
}
