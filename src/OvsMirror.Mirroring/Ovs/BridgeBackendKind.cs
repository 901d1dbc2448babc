using OvsMirror.Cni;

namespace OvsMirror.Mirroring.Ovs;

/// <summary><c>"backend": "ovs"</c> (the default): mirrors on an Open_vSwitch bridge (DESIGN §2).</summary>
internal sealed class BridgeBackendKind : IMirrorBackendKind
{
    public static BridgeBackendKind Instance { get; } = new();

    private BridgeBackendKind()
    {
    }

    public string Name => "ovs";

    /// <summary>
    /// The keys no other backend reads. <c>allowPodArgs</c> is not among them: backend ovn refuses
    /// <c>"allowPodArgs": true</c> itself, with the reason.
    /// </summary>
    public IReadOnlyList<string> ExclusiveKeys { get; } =
    [
        "bridge", "socket_file", "vswitchdCtl", "flowRevalidation", "flowRevalidationTimeoutMs", "allowedPodMirrors", "allowedPodRoles",
    ];

    public IMirrorBackendConfig Parse(NetworkConfig config, string programName, ConfigPurpose purpose) => purpose == ConfigPurpose.Attach
        ? PluginConfigParser.Parse(config, programName)
        : PluginConfigParser.ParseForCleanup(config, programName);
}
