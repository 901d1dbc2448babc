using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// A Mirror row as read. What an ADD reads is small and independent of how many members the mirror
/// has; <see cref="ExternalIds"/> and the port sets (which grow with members) are read only by DEL,
/// CHECK and GC.
/// </summary>
internal sealed class MirrorSnapshot
{
    /// <summary>The columns an ADD reads: none of them grows with the number of members.</summary>
    public static readonly string[] AttachColumns =
    [
        VswitchSchema.Uuid, VswitchSchema.Name, VswitchSchema.SelectAll, VswitchSchema.SelectVlan,
        VswitchSchema.OutputPort, VswitchSchema.OutputVlan, VswitchSchema.Snaplen,
    ];

    /// <summary>What DEL and GC read: the records carry the port uuids, so not the port sets.</summary>
    public static readonly string[] DetachColumns = [.. AttachColumns, VswitchSchema.ExternalIds];

    /// <summary>Everything, for CHECK, which verifies the port sets too.</summary>
    public static readonly string[] FullColumns = [.. DetachColumns, VswitchSchema.SelectSrcPort, VswitchSchema.SelectDstPort];

    private Dictionary<AttachmentId, AttachmentRecord>? _records;

    private MirrorSnapshot(OvsdbRow row)
    {
        Uuid = row.Uuid;
        Name = row.GetString(VswitchSchema.Name);
        SelectAll = row.TryGet(VswitchSchema.SelectAll, out var all) && ((OvsdbAtom)all).AsBoolean();
        SelectVlan = [.. row.GetAtoms(VswitchSchema.SelectVlan).Select(a => a.AsInteger())];
        OutputPortValue = row.Get(VswitchSchema.OutputPort);
        OutputVlanValue = row.Get(VswitchSchema.OutputVlan);
        OutputPort = OutputPortValue.AsAtoms() is [var port] ? port.AsUuid() : null;
        OutputVlan = OutputVlanValue.AsAtoms() is [var vlan] ? (int)vlan.AsInteger() : null;
        Snaplen = row.GetAtoms(VswitchSchema.Snaplen) is [var snap] ? (int)snap.AsInteger() : null;
        if (row.TryGet(VswitchSchema.ExternalIds, out var ids))
        {
            ExternalIds = (OvsdbMap)ids;
            var owned = false;
            var rawRecords = new Dictionary<AttachmentId, string>();
            foreach (var (key, value) in ExternalIds.Pairs)
            {
                var k = key.AsString();
                if (k == OwnerMarker.Key && value.AsString() == OwnerMarker.Value)
                {
                    owned = true;
                }
                else if (AttachmentId.TryParseKey(k, out var id))
                {
                    rawRecords[id] = value.AsString();
                }
            }

            Owned = owned;
            RecordValues = rawRecords;
        }

        if (row.TryGet(VswitchSchema.SelectSrcPort, out var src))
        {
            SelectSrcPort = [.. src.AsAtoms().Select(a => a.AsUuid())];
        }

        if (row.TryGet(VswitchSchema.SelectDstPort, out var dst))
        {
            SelectDstPort = [.. dst.AsAtoms().Select(a => a.AsUuid())];
        }
    }

    public Guid Uuid { get; }

    public string Name { get; }

    public bool Owned { get; private set; }

    public bool SelectAll { get; }

    public IReadOnlyList<long> SelectVlan { get; }

    public Guid? OutputPort { get; }

    public int? OutputVlan { get; }

    /// <summary>output_port exactly as read, for a guard that it has not changed since.</summary>
    public OvsdbValue OutputPortValue { get; }

    public OvsdbValue OutputVlanValue { get; }

    public int? Snaplen { get; }

    /// <summary>Whether select_src_port and select_dst_port are both empty; null when not read.</summary>
    public bool? HasNoPortSelections { get; private set; }

    public OvsdbMap? ExternalIds { get; }

    /// <summary>The attachment records as stored (unparsed): a DEL parses only the one it removes.</summary>
    public IReadOnlyDictionary<AttachmentId, string>? RecordValues { get; }

    /// <summary>Every attachment record, parsed on first use (records this version cannot read are left out).</summary>
    public IReadOnlyDictionary<AttachmentId, AttachmentRecord>? Records => RecordValues is null ? null : _records ??= ParseRecords(RecordValues);

    public IReadOnlyList<Guid>? SelectSrcPort { get; }

    public IReadOnlyList<Guid>? SelectDstPort { get; }

    private static Dictionary<AttachmentId, AttachmentRecord> ParseRecords(IReadOnlyDictionary<AttachmentId, string> values)
    {
        var records = new Dictionary<AttachmentId, AttachmentRecord>(values.Count);
        foreach (var (id, value) in values)
        {
            if (AttachmentRecord.TryParse(value) is { } record)
            {
                records[id] = record;
            }
        }

        return records;
    }

    public static MirrorSnapshot FromFullRow(OvsdbRow row) => new(row);

    /// <summary>An ADD's view: the row plus what two condition-only selects said about ownership and port selections.</summary>
    public static MirrorSnapshot FromAttachRow(OvsdbRow row, bool owned, bool hasNoPortSelections, bool remoteMatches = false) =>
        new(row) { Owned = owned, HasNoPortSelections = hasNoPortSelections, RemoteMatches = remoteMatches };

    /// <summary>ADD: whether external_ids holds the requested remote definition (a condition-only probe).</summary>
    public bool RemoteMatches { get; private set; }

    /// <summary>The remote definition (<see cref="TunnelPort.RemoteKey"/>) when external_ids was read; null for none.</summary>
    public string? Remote => ExternalIds?.Get(TunnelPort.RemoteKey)?.AsString();

    /// <summary>
    /// external_ids of this mirror once no attachment is left: the owner marker, plus the remote definition of a
    /// remote mirror. Only meaningful when external_ids was read.
    /// </summary>
    public OvsdbMap EmptyExternalIds => Remote is { } remote
        ? OvsdbMap.OfStrings([KeyValuePair.Create(OwnerMarker.Key, OwnerMarker.Value), KeyValuePair.Create(TunnelPort.RemoteKey, remote)])
        : OwnerMarker.EmptyOwnedExternalIds;
}
