using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>A Port row as a DEL reads it: its uuid and external_ids, with the <see cref="PortLocator"/> entries in them.</summary>
internal sealed class LocatedPort(Guid uuid, string name, OvsdbMap externalIds)
{
    public static readonly string[] Columns = [VswitchSchema.Uuid, VswitchSchema.ExternalIds];

    public Guid Uuid { get; } = uuid;

    public string Name { get; } = name;

    /// <summary>external_ids exactly as read, for a guard that no attachment of this port came or went since.</summary>
    public OvsdbMap ExternalIds { get; } = externalIds;

    public IReadOnlyList<PortLocatorEntry> Entries { get; } = PortLocator.Parse(externalIds);

    public static LocatedPort FromRow(OvsdbRow row, string name) => new(row.Uuid, name, (OvsdbMap)row.Get(VswitchSchema.ExternalIds));
}
