namespace OvsMirror.Mirroring.Ovs;

/// <summary>Names from the Open_vSwitch database schema, ovs-vswitchd.conf.db(5), that ovs-mirror reads or writes.</summary>
internal static class VswitchSchema
{
    public const string Database = "Open_vSwitch";

    /// <summary>The root table; its one row carries the next_cfg/cur_cfg handshake with ovs-vswitchd.</summary>
    public const string OpenVSwitch = "Open_vSwitch";

    public const string NextCfg = "next_cfg";
    public const string CurCfg = "cur_cfg";

    public const string Bridge = "Bridge";
    public const string Port = "Port";
    public const string Mirror = "Mirror";
    public const string Interface = "Interface";

    public const string Uuid = "_uuid";
    public const string Name = "name";
    public const string ExternalIds = "external_ids";

    // Bridge
    public const string Mirrors = "mirrors";
    public const string Ports = "ports";
    public const string FloodVlans = "flood_vlans";

    // Port
    public const string Tag = "tag";
    public const string Interfaces = "interfaces";

    // Interface
    public const string Type = "type";
    public const string Options = "options";

    // Mirror, ovs-vswitchd.conf.db(5) "Mirror TABLE"
    public const string SelectAll = "select_all";
    public const string SelectSrcPort = "select_src_port";
    public const string SelectDstPort = "select_dst_port";
    public const string SelectVlan = "select_vlan";
    public const string OutputPort = "output_port";
    public const string OutputVlan = "output_vlan";
    public const string Snaplen = "snaplen";
    public const string Statistics = "statistics";

    /// <summary>
    /// ovs-vswitchd applies at most this many mirrors per bridge (MAX_MIRRORS in ofproto/ofproto-dpif-mirror.h,
    /// a 32-bit mask). Past it, a mirror is accepted by OVSDB and then silently does nothing.
    /// </summary>
    public const int MaxMirrorsPerBridge = 32;
}
