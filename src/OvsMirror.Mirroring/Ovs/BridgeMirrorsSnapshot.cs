namespace OvsMirror.Mirroring.Ovs;

/// <summary>What DEL, CHECK and GC read: the bridge and every mirror it holds, with their attachment records.</summary>
internal sealed class BridgeMirrorsSnapshot(BridgeSnapshot? bridge, IReadOnlyList<MirrorSnapshot> mirrors)
{
    public BridgeSnapshot? Bridge { get; } = bridge;

    public IReadOnlyList<MirrorSnapshot> Mirrors { get; } = mirrors;
}
