using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>An NB Mirror row as read: its definition and, when read, its external_ids with our records.</summary>
internal sealed class NbMirrorSnapshot
{
    public static readonly string[] DefinitionColumns = [NorthboundSchema.Uuid, .. NorthboundSchema.DefinitionColumns];

    public static readonly string[] FullColumns = [.. DefinitionColumns, NorthboundSchema.ExternalIds];

    public NbMirrorSnapshot(OvsdbRow row)
    {
        Uuid = row.Uuid;
        Name = row.GetString(NorthboundSchema.Name);
        Type = row.GetString(NorthboundSchema.Type);
        Index = ((OvsdbAtom)row.Get(NorthboundSchema.Index)).AsInteger();
        Filter = row.GetString(NorthboundSchema.Filter);
        Sink = row.GetString(NorthboundSchema.Sink);
        if (row.TryGet(NorthboundSchema.ExternalIds, out var ids))
        {
            ExternalIds = (OvsdbMap)ids;
            var records = new Dictionary<AttachmentId, OvnAttachmentRecord>();
            foreach (var (key, value) in ExternalIds.Pairs)
            {
                var k = key.AsString();
                if (k == OwnerMarker.Key && value.AsString() == OwnerMarker.Value)
                {
                    Owned = true;
                }
                else if (AttachmentId.TryParseKey(k, out var id) && OvnAttachmentRecord.TryParse(value.AsString()) is { } record)
                {
                    records[id] = record;
                }
            }

            Records = records;
        }
    }

    public Guid Uuid { get; }

    public string Name { get; }

    public string Type { get; }

    public long Index { get; }

    public string Filter { get; }

    public string Sink { get; }

    public bool Owned { get; }

    public OvsdbMap? ExternalIds { get; }

    public IReadOnlyDictionary<AttachmentId, OvnAttachmentRecord>? Records { get; }

    /// <summary>The definition as a row, for a guard that it has not changed since it was read.</summary>
    public OvsdbRow DefinitionRow => Definition(new OvnMirrorRequest(Name, Type, Index, Filter, Sink));

    public bool Matches(OvnMirrorRequest request) =>
        Type == request.Type && Index == request.Index && Filter == request.Filter && Sink == request.Sink;

    public string Describe() => $"type {Type}, index {Index}, filter {Filter}, sink {Sink}";

    public static OvsdbRow Definition(OvnMirrorRequest request) => new OvsdbRow()
        .Set(NorthboundSchema.Name, request.Name)
        .Set(NorthboundSchema.Type, request.Type)
        .Set(NorthboundSchema.Index, request.Index)
        .Set(NorthboundSchema.Filter, request.Filter)
        .Set(NorthboundSchema.Sink, request.Sink);
}
