using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Tests.Planner;

/// <summary>
/// Small builders of the planners' inputs. The snapshots are made the way the reader makes them: from OvsdbRow
/// objects parsed (<see cref="OvsdbRow.FromJson"/>) from the JSON the server would send.
/// </summary>
internal static class Snapshots
{
    public const string Bridge = "br1";
    public const string Network = "net1";

    /// <summary>A readable, distinct uuid: 00000000-0000-0000-0000-00000000000N.</summary>
    public static Guid Uuid(int n) => Guid.ParseExact(n.ToString("D12", CultureInfo.InvariantCulture).PadLeft(32, '0'), "N");

    public static JsonArray UuidJson(Guid uuid) => ["uuid", uuid.ToString("D")];

    public static JsonArray SetJson(IEnumerable<JsonNode?> atoms) => ["set", new JsonArray([.. atoms])];

    public static OvsdbRow Row(JsonObject json)
    {
        using var document = JsonDocument.Parse(json.ToJsonString());
        return OvsdbRow.FromJson(document.RootElement);
    }

    public static BridgeSnapshot BridgeWith(IEnumerable<Guid> mirrors, params int[] floodVlans) => BridgeSnapshot.FromRow(Row(new JsonObject
    {
        ["_uuid"] = UuidJson(Uuid(900)),
        ["mirrors"] = SetJson(mirrors.Select(m => (JsonNode?)UuidJson(m))),
        ["flood_vlans"] = SetJson(floodVlans.Select(v => (JsonNode?)v)),
    }), Bridge);

    public static PortSnapshot Port(Guid uuid, string name, int? tag = null) => PortSnapshot.FromRow(Row(new JsonObject
    {
        ["_uuid"] = UuidJson(uuid),
        ["tag"] = tag is { } t ? t : SetJson([]),
    }), name);

    public static AttachSnapshot ForAttach(BridgeSnapshot? bridge, PortSnapshot? port, params MirrorSnapshot[] mirrors) =>
        ForAttach(bridge, port, mirrors.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => (IReadOnlyList<MirrorSnapshot>)[.. g]));

    public static AttachSnapshot ForAttach(BridgeSnapshot? bridge, PortSnapshot? port,
        Dictionary<string, IReadOnlyList<MirrorSnapshot>> mirrorsByName) =>
        new(bridge, port, port?.Name ?? "veth-missing", mirrorsByName);

    public static MirrorRequest Produce(string mirror, MirrorSelection selection, int[]? vlans = null, int? snaplen = null) =>
        new(mirror, MirrorRole.Producer, selection, vlans ?? [], MirrorOutputKind.None, null, snaplen, ConfigSource.Nad);

    public static MirrorRequest Consume(string mirror, MirrorOutputKind output = MirrorOutputKind.Port, int? outputVlan = null) =>
        new(mirror, MirrorRole.Consumer, MirrorSelection.None, [], output, outputVlan, null, ConfigSource.Nad);

    public static AttachmentRecord ProducerRecord(Guid port, string portName, MirrorSelection selection, params int[] vlans) =>
        new(MirrorRole.Producer, Network, portName, port, selection, vlans, MirrorOutputKind.None, null);

    public static AttachmentRecord ConsumerRecord(Guid port, string portName, int? outputVlan = null) =>
        new(MirrorRole.Consumer, Network, portName, port, MirrorSelection.None, [],
            outputVlan is null ? MirrorOutputKind.Port : MirrorOutputKind.Vlan, outputVlan);
}

/// <summary>A Mirror row to read into a <see cref="MirrorSnapshot"/>, as an ADD reads it or as DEL/CHECK/GC read it.</summary>
internal sealed class MirrorRow(Guid uuid, string name)
{
    public Guid Uuid { get; } = uuid;

    public string Name { get; } = name;

    public bool Owned { get; init; } = true;

    public bool SelectAll { get; init; }

    public int[] SelectVlan { get; init; } = [];

    public Guid[] SrcPorts { get; init; } = [];

    public Guid[] DstPorts { get; init; } = [];

    public Guid? OutputPort { get; init; }

    public int? OutputVlan { get; init; }

    public int? Snaplen { get; init; }

    public List<(AttachmentId Id, AttachmentRecord Record)> Records { get; init; } = [];

    /// <summary>The external_ids pairs in the order the row carries them.</summary>
    public List<KeyValuePair<string, string>> ExternalIds =>
    [
        .. Owned ? [KeyValuePair.Create(OwnerMarker.Key, OwnerMarker.Value)] : Array.Empty<KeyValuePair<string, string>>(),
        .. Records.Select(r => KeyValuePair.Create(r.Id.Key, r.Record.Format())),
    ];

    /// <summary>What ADD reads: the attach columns plus the two probes (owned, no port selections).</summary>
    public MirrorSnapshot ForAttach() =>
        MirrorSnapshot.FromAttachRow(Snapshots.Row(AttachColumns()), Owned, SrcPorts.Length == 0 && DstPorts.Length == 0);

    /// <summary>What DEL, CHECK and GC read: every column.</summary>
    public MirrorSnapshot Full()
    {
        var json = AttachColumns();
        json["external_ids"] = new JsonArray("map", new JsonArray([.. ExternalIds.Select(p => (JsonNode?)new JsonArray(p.Key, p.Value))]));
        json["select_src_port"] = Snapshots.SetJson(SrcPorts.Select(p => (JsonNode?)Snapshots.UuidJson(p)));
        json["select_dst_port"] = Snapshots.SetJson(DstPorts.Select(p => (JsonNode?)Snapshots.UuidJson(p)));
        return MirrorSnapshot.FromFullRow(Snapshots.Row(json));
    }

    private JsonObject AttachColumns() => new()
    {
        ["_uuid"] = Snapshots.UuidJson(Uuid),
        ["name"] = Name,
        ["select_all"] = SelectAll,
        ["select_vlan"] = Snapshots.SetJson(SelectVlan.Select(v => (JsonNode?)v)),
        ["output_port"] = OutputPort is { } p ? Snapshots.UuidJson(p) : Snapshots.SetJson([]),
        ["output_vlan"] = OutputVlan is { } v ? v : Snapshots.SetJson([]),
        ["snaplen"] = Snaplen is { } s ? s : Snapshots.SetJson([]),
    };
}
