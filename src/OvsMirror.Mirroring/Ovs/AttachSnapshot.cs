namespace OvsMirror.Mirroring.Ovs;

/// <summary>What an ADD reads in one round trip: the bridge, the port, and the requested mirrors on this bridge.</summary>
internal sealed class AttachSnapshot(
    BridgeSnapshot? bridge,
    PortSnapshot? port,
    string portName,
    IReadOnlyDictionary<string, IReadOnlyList<MirrorSnapshot>> mirrorsByName)
{
    public BridgeSnapshot? Bridge { get; } = bridge;

    public PortSnapshot? Port { get; } = port;

    /// <summary>The host-side interface name the port was looked up by.</summary>
    public string PortName { get; } = portName;

    /// <summary>The mirrors of each requested name that this bridge holds (Bridge.mirrors); other bridges' are not here.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<MirrorSnapshot>> MirrorsByName { get; } = mirrorsByName;
}
