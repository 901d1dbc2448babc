using OvsMirror.Cni;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>The validated config of one invocation with <c>"backend": "ovn"</c>. Built only by <see cref="OvnConfigParser"/>.</summary>
internal sealed class OvnPluginConfig(
    OvsdbEndpoint endpoint,
    IReadOnlyList<OvnMirrorRequest> mirrors,
    string? logicalSwitchPort,
    string? provider,
    TimeSpan timeout) : IMirrorBackendConfig
{
    /// <summary>Kube-OVN's Northbound socket, the default of <c>ovn_nb</c>.</summary>
    public const string DefaultNorthbound = "unix:/var/run/ovn/ovnnb_db.sock";

    /// <summary><c>ovn_nb</c>: the OVN Northbound database.</summary>
    public OvsdbEndpoint Endpoint { get; } = endpoint;

    /// <summary><c>mirrors</c>; empty for DEL, STATUS and GC (they work from the records).</summary>
    public IReadOnlyList<OvnMirrorRequest> Mirrors { get; } = mirrors;

    /// <summary><c>logicalSwitchPort</c>: an explicit LSP name, overriding the Kube-OVN convention.</summary>
    public string? LogicalSwitchPort { get; } = logicalSwitchPort;

    /// <summary><c>provider</c>: the attachment network's Kube-OVN provider; the LSP is then <c>pod.namespace.provider</c>.</summary>
    public string? Provider { get; } = provider;

    public TimeSpan Timeout { get; } = timeout;

    /// <inheritdoc />
    public string EndpointKey => "ovn_nb";

    /// <inheritdoc />
    public bool HasMirrors => Mirrors.Count > 0;

    /// <inheritdoc />
    public IReadOnlyList<string> MirrorSummaries => [.. Mirrors.Select(m => $"{m.Name} (ovn {m.Type})")];

    /// <summary>ADD: the pod's Logical_Switch_Port (<see cref="LogicalSwitchPortName"/>).</summary>
    public string ResolveTarget(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return LogicalSwitchPortName.Resolve(this, request.Args);
    }

    /// <summary>CHECK: the LSP, or null when the config names no mirror (nothing to verify).</summary>
    public string? ResolveCheckTarget(CniRequest request) => Mirrors.Count == 0 ? null : ResolveTarget(request);

    /// <inheritdoc />
    public IMirrorBackend Open(OvsdbConnection connection, long deadline, TextWriter log) =>
        new NorthboundMirrorBackend(connection, this, deadline);
}
