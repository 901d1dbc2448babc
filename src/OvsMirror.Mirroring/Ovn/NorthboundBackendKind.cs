using OvsMirror.Cni;

namespace OvsMirror.Mirroring.Ovn;

/// <summary><c>"backend": "ovn"</c>: OVN Northbound mirrors of Logical_Switch_Ports (Kube-OVN).</summary>
internal sealed class NorthboundBackendKind : IMirrorBackendKind
{
    public static NorthboundBackendKind Instance { get; } = new();

    private NorthboundBackendKind()
    {
    }

    public string Name => "ovn";

    public IReadOnlyList<string> ExclusiveKeys { get; } = ["ovn_nb", "logicalSwitchPort", "provider"];

    public IMirrorBackendConfig Parse(NetworkConfig config, string programName, ConfigPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(config);
        return purpose == ConfigPurpose.Attach
            ? OvnConfigParser.Parse(config.Raw, config.ArgsObject)
            : OvnConfigParser.ParseForCleanup(config.Raw);
    }
}
