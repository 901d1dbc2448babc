using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>A Port row as read: its uuid and its access VLAN (Port.tag), if any.</summary>
internal sealed class PortSnapshot(Guid uuid, string name, int? tag)
{
    public static readonly string[] Columns = [VswitchSchema.Uuid, VswitchSchema.Tag];

    public Guid Uuid { get; } = uuid;

    public string Name { get; } = name;

    public int? Tag { get; } = tag;

    public static PortSnapshot FromRow(OvsdbRow row, string name)
    {
        var tag = row.GetAtoms(VswitchSchema.Tag);
        return new PortSnapshot(row.Uuid, name, tag.Count == 1 ? (int)tag[0].AsInteger() : null);
    }
}
