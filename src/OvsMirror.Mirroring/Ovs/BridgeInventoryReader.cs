using System.Globalization;
using OvsMirror.Mirroring.Config;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Reads a bridge's mirrors for the operator CLI: every column, Mirror:statistics, the names of the ports they refer to,
/// and how often ovs-vswitchd refreshes the statistics. Two round trips; never on the CNI path.
/// </summary>
internal static class BridgeInventoryReader
{
    /// <summary>ovs-vswitchd.conf.db(5), Open_vSwitch:other_config:stats-update-interval: 5000 ms when unset.</summary>
    public const int DefaultStatisticsIntervalMs = 5000;

    private static readonly string[] InventoryColumns = [.. MirrorSnapshot.FullColumns, VswitchSchema.Statistics];

    public static MirrorInventory Read(OvsdbConnection connection, string bridge)
    {
        var first = connection.Transact(new Transaction(VswitchSchema.Database)
                .Add(new SelectOperation(VswitchSchema.Bridge, Where.Eq(VswitchSchema.Name, bridge), BridgeSnapshot.Columns))
                .Add(new SelectOperation(VswitchSchema.Port, Where.All, [VswitchSchema.Uuid, VswitchSchema.Name]))
                .Add(new SelectOperation(VswitchSchema.OpenVSwitch, Where.All, ["other_config"])))
            .ThrowIfAnyFailed();
        var interval = first[2].Rows is [var ovs] && ovs.GetMap("other_config").Get("stats-update-interval")?.AsString() is { } text
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                ? Math.Max(ms, DefaultStatisticsIntervalMs)
                : DefaultStatisticsIntervalMs;
        var scope = "bridge " + bridge;
        if (first[0].Rows is not [var bridgeRow])
        {
            return new MirrorInventory("ovs", scope, false, [], interval);
        }

        var ports = first[1].Rows.ToDictionary(r => r.Uuid, r => r.GetString(VswitchSchema.Name));
        var bridgeSnapshot = BridgeSnapshot.FromRow(bridgeRow, bridge);
        var mirrors = new List<InventoryMirror>();
        if (bridgeSnapshot.Mirrors.Count > 0)
        {
            var txn = new Transaction(VswitchSchema.Database);
            foreach (var uuid in bridgeSnapshot.Mirrors)
            {
                txn.Add(new SelectOperation(VswitchSchema.Mirror, Where.Uuid(uuid), InventoryColumns));
            }

            foreach (var row in connection.Transact(txn).ThrowIfAnyFailed().Results.SelectMany(r => r.Rows))
            {
                mirrors.Add(Describe(row, ports));
            }
        }

        return new MirrorInventory("ovs", scope, true, [.. mirrors.OrderBy(m => m.Name, StringComparer.Ordinal)], interval);
    }

    /// <summary>One Mirror row in words. Pure.</summary>
    public static InventoryMirror Describe(OvsdbRow row, IReadOnlyDictionary<Guid, string> ports)
    {
        var mirror = MirrorSnapshot.FromFullRow(row);
        string Port(Guid uuid) => ports.GetValueOrDefault(uuid) ?? uuid.ToString("D");
        var selection = new List<string>();
        if (mirror.SelectSrcPort is { Count: > 0 } src)
        {
            selection.Add("src " + string.Join(',', src.Select(Port).Order(StringComparer.Ordinal)));
        }

        if (mirror.SelectDstPort is { Count: > 0 } dst)
        {
            selection.Add("dst " + string.Join(',', dst.Select(Port).Order(StringComparer.Ordinal)));
        }

        if (mirror.SelectAll)
        {
            selection.Add("all");
        }

        if (mirror.SelectVlan.Count > 0)
        {
            selection.Add("vlans " + string.Join(',', mirror.SelectVlan));
        }

        var members = new List<InventoryMember>();
        var unparseable = new List<UnparseableRecord>();
        foreach (var (id, value) in mirror.RecordValues ?? new Dictionary<AttachmentId, string>())
        {
            if (AttachmentRecord.TryParse(value) is { } record)
            {
                var gone = !ports.TryGetValue(record.PortUuid, out var name) || name != record.PortName;
                members.Add(new InventoryMember(id, record.Role == MirrorRole.Producer ? "producer" : "consumer", record, gone));
            }
            else
            {
                unparseable.Add(new UnparseableRecord(mirror.Name, mirror.Uuid, id.Key, value));
            }
        }

        string output;
        if (mirror.OutputPort is { } outputPort)
        {
            output = mirror.Remote is { } remote ? $"tunnel {Port(outputPort)} to {remote}" : "port " + Port(outputPort);
        }
        else
        {
            output = mirror.OutputVlan is { } vlan ? "vlan " + vlan.ToString(CultureInfo.InvariantCulture) : "none";
        }

        var statistics = row.TryGet(VswitchSchema.Statistics, out var stats) ? (OvsdbMap)stats : null;
        return new InventoryMirror
        {
            Name = mirror.Name,
            Uuid = mirror.Uuid,
            Owned = mirror.Owned,
            Selection = selection.Count == 0 ? "none" : string.Join("; ", selection),
            Output = output,
            HasOutput = mirror.OutputPort is not null || mirror.OutputVlan is not null,
            Members = [.. members.OrderBy(m => m.Role, StringComparer.Ordinal).ThenBy(m => m.Id.ToString(), StringComparer.Ordinal)],
            UnparseableRecords = unparseable,
            TxPackets = statistics?.Get("tx_packets")?.AsInteger(),
            TxBytes = statistics?.Get("tx_bytes")?.AsInteger(),
        };
    }
}
