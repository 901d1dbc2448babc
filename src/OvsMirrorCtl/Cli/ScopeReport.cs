namespace OvsMirror.Cli;

internal sealed class ScopeReport
{
    /// <summary>ovs or ovn.</summary>
    public string Backend { get; set; } = "";

    /// <summary>"bridge br1" or "OVN Northbound".</summary>
    public string Scope { get; set; } = "";

    public bool Exists { get; set; }

    /// <summary>How often ovs-vswitchd refreshes txPackets/txBytes (other_config:stats-update-interval); null for OVN.</summary>
    public int? StatisticsIntervalMs { get; set; }

    public List<MirrorReport> Mirrors { get; set; } = [];
}
