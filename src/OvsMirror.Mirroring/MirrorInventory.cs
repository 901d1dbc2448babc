namespace OvsMirror.Mirroring;

/// <summary>
/// Every mirror of one scope (an OVS bridge, or OVN Northbound) with its members as their records say, for the operator
/// CLI (list, gc, doctor). Read, never written: what it shows may have moved by the time it is printed.
/// </summary>
internal sealed class MirrorInventory(string backend, string scope, bool scopeExists, IReadOnlyList<InventoryMirror> mirrors,
    int? statisticsIntervalMs)
{
    /// <summary>The <c>backend</c> word (ovs, ovn).</summary>
    public string Backend { get; } = backend;

    /// <summary>"bridge br1", "OVN Northbound".</summary>
    public string Scope { get; } = scope;

    /// <summary>False when the bridge does not exist.</summary>
    public bool ScopeExists { get; } = scopeExists;

    public IReadOnlyList<InventoryMirror> Mirrors { get; } = mirrors;

    /// <summary>
    /// How often ovs-vswitchd refreshes Mirror:statistics (Open_vSwitch:other_config:stats-update-interval, 5000 ms when
    /// unset; ovs-vswitchd.conf.db(5)); null where there are no statistics (OVN Northbound).
    /// </summary>
    public int? StatisticsIntervalMs { get; } = statisticsIntervalMs;
}
