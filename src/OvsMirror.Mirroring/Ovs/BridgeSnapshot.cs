using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>A Bridge row as read: which mirrors it holds (Bridge.mirrors) and its flood_vlans.</summary>
internal sealed class BridgeSnapshot(Guid uuid, string name, IReadOnlyList<Guid> mirrors, IReadOnlyList<long> floodVlans)
{
    public static readonly string[] Columns = [VswitchSchema.Uuid, VswitchSchema.Mirrors, VswitchSchema.FloodVlans];

    public Guid Uuid { get; } = uuid;

    public string Name { get; } = name;

    public IReadOnlyList<Guid> Mirrors { get; } = mirrors;

    public IReadOnlyList<long> FloodVlans { get; } = floodVlans;

    /// <summary>Bridge.mirrors exactly as read, for a guard that it has not changed since.</summary>
    public OvsdbSet MirrorsValue => OvsdbSet.Of(Mirrors.Select(OvsdbAtom.FromUuid));

    public bool Holds(Guid mirror) => Mirrors.Contains(mirror);

    public static BridgeSnapshot FromRow(OvsdbRow row, string name) => new(
        row.Uuid,
        name,
        [.. row.GetAtoms(VswitchSchema.Mirrors).Select(a => a.AsUuid())],
        [.. row.GetAtoms(VswitchSchema.FloodVlans).Select(a => a.AsInteger())]);
}
