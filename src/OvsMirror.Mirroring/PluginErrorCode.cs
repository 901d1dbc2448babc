namespace OvsMirror.Mirroring;

/// <summary>
/// Error codes specific to ovs-mirror. CNI SPEC §Error: codes 100 and up are the plugin's own.
/// Each is documented in README.md ("Error codes"); never reuse a number for another meaning.
/// </summary>
public static class PluginErrorCode
{
    /// <summary>A consumer asked for a mirror whose output is already another port or VLAN.</summary>
    public const int MirrorOutputTaken = 100;

    /// <summary>A pod asked for mirrors through cni-args that its NAD does not allow.</summary>
    public const int PodArgsNotAllowed = 101;

    /// <summary>The bridge already has the 32 mirrors ovs-vswitchd applies (MAX_MIRRORS); another would silently do nothing.</summary>
    public const int MirrorLimitReached = 102;

    /// <summary>The configured bridge is not in OVSDB.</summary>
    public const int BridgeNotFound = 103;

    /// <summary>The host-side interface from prevResult is not a port of the configured bridge.</summary>
    public const int PortNotOnBridge = 104;

    /// <summary>CHECK found OVSDB different from what the config asks for this attachment.</summary>
    public const int CheckMismatch = 105;

    /// <summary>The bridge has more than one mirror of the requested name, so which one is meant is ambiguous.</summary>
    public const int DuplicateMirror = 106;

    /// <summary>The request conflicts with how the existing mirror selects traffic (VLAN filter vs. ports).</summary>
    public const int SelectionConflict = 107;

    /// <summary>An OVN mirror of the requested name exists with another type, index, filter or sink.</summary>
    public const int MirrorDefinitionConflict = 108;

    /// <summary>Backend ovn: the pod's Logical_Switch_Port is not in OVN Northbound.</summary>
    public const int LogicalSwitchPortNotFound = 109;
}
