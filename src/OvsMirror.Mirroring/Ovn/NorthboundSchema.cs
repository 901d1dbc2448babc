namespace OvsMirror.Mirroring.Ovn;

/// <summary>Names from the OVN_Northbound schema, ovn-nb(5), that ovs-mirror reads or writes (OVN 23.03: schema 7.0.0).</summary>
internal static class NorthboundSchema
{
    public const string Database = "OVN_Northbound";

    public const string Mirror = "Mirror";
    public const string LogicalSwitchPort = "Logical_Switch_Port";

    public const string Uuid = "_uuid";
    public const string Name = "name";
    public const string ExternalIds = "external_ids";

    // Mirror, ovn-nb(5) "Mirror TABLE": name is a unique index; the table is a root table.
    public const string Type = "type";
    public const string Index = "index";
    public const string Filter = "filter";
    public const string Sink = "sink";

    // Logical_Switch_Port: weak references to Mirror.
    public const string MirrorRules = "mirror_rules";

    /// <summary>The Mirror columns that define what a mirror does; two users of one name must agree on them.</summary>
    public static readonly string[] DefinitionColumns = [Name, Type, Index, Filter, Sink];
}
