namespace OvsMirror.Mirroring;

/// <summary>One mirror as <see cref="MirrorInventory"/> shows it.</summary>
internal sealed class InventoryMirror
{
    public required string Name { get; init; }

    public required Guid Uuid { get; init; }

    /// <summary>Whether ovs-mirror created it (and so removes it once its last attachment leaves).</summary>
    public required bool Owned { get; init; }

    /// <summary>What it selects, in words: "src veth1,veth2; dst veth1", "all; vlans 100", "from-lport".</summary>
    public required string Selection { get; init; }

    /// <summary>Where copies go, in words: "port veth3", "vlan 999", "gre tunnel omt12 to 192.0.2.9", "none".</summary>
    public required string Output { get; init; }

    /// <summary>Whether it has an output at all (a mirror without one copies nothing).</summary>
    public required bool HasOutput { get; init; }

    public required IReadOnlyList<InventoryMember> Members { get; init; }

    /// <summary>Keys of attachment records this version cannot read.</summary>
    public required IReadOnlyList<UnparseableRecord> UnparseableRecords { get; init; }

    /// <summary>Mirror:statistics tx_packets / tx_bytes (OVS only; absent until ovs-vswitchd has counted).</summary>
    public long? TxPackets { get; init; }

    public long? TxBytes { get; init; }
}
