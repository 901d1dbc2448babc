using OvsMirror.Cni;
using OvsMirror.Ovsdb;

using OvsMirror.Mirroring.Config;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// The validated configuration of one ovs-mirror invocation (DESIGN §2): the plugin's keys from stdin, with the
/// NAD's mirrors and the pod's allowed cni-args mirrors merged into <see cref="Mirrors"/>.
/// Built only by <see cref="PluginConfigParser"/>.
/// </summary>
internal sealed class PluginConfig : IMirrorBackendConfig
{
    /// <summary>ovs-cni's default <c>socket_file</c>, and ours.</summary>
    public const string DefaultSocketFile = "unix:/var/run/openvswitch/db.sock";

    /// <summary>The default deadline of one invocation (<c>timeoutMs</c> 10000).</summary>
    public static readonly TimeSpan DefaultTimeout = CommonLimits.DefaultTimeout;

    /// <summary>
    /// The default budget of flow revalidation after a committed change (<c>flowRevalidationTimeoutMs</c> 300): a
    /// healthy ovs-vswitchd applies a change and purges in about a millisecond; a stalled one costs a pod start this.
    /// </summary>
    public static readonly TimeSpan DefaultFlowRevalidationTimeout = TimeSpan.FromMilliseconds(300);

    public PluginConfig(
        string bridge,
        OvsdbEndpoint endpoint,
        PodArgsPolicy podArgsPolicy,
        IReadOnlyList<MirrorRequest> mirrors,
        FlowRevalidation flowRevalidation,
        string? vswitchdCtl,
        TimeSpan timeout,
        bool ovsCniCompat,
        TimeSpan flowRevalidationTimeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(bridge);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(podArgsPolicy);
        ArgumentNullException.ThrowIfNull(mirrors);
        Bridge = bridge;
        Endpoint = endpoint;
        PodArgsPolicy = podArgsPolicy;
        Mirrors = mirrors;
        FlowRevalidation = flowRevalidation;
        VswitchdCtl = vswitchdCtl;
        Timeout = timeout;
        OvsCniCompat = ovsCniCompat;
        FlowRevalidationTimeout = flowRevalidationTimeout;
    }

    /// <summary><c>bridge</c>: the OVS bridge whose mirrors this attachment joins (DESIGN §4: scope every lookup to it).</summary>
    public string Bridge { get; }

    /// <summary><c>socket_file</c>: where ovsdb-server listens; <see cref="DefaultSocketFile"/> when absent.</summary>
    public OvsdbEndpoint Endpoint { get; }

    /// <summary><c>allowPodArgs</c>, <c>allowedPodMirrors</c>, <c>allowedPodRoles</c>.</summary>
    public PodArgsPolicy PodArgsPolicy { get; }

    /// <summary>
    /// The NAD's entries, then the pod's allowed entries, merged by name (one request per mirror name, in order of
    /// first appearance). Empty for a NAD of the cni-args approach whose pod asks for nothing.
    /// </summary>
    public IReadOnlyList<MirrorRequest> Mirrors { get; }

    /// <summary><c>flowRevalidation</c>: <see cref="Config.FlowRevalidation.Purge"/> when absent (DESIGN §4).</summary>
    public FlowRevalidation FlowRevalidation { get; }

    /// <summary>
    /// <c>flowRevalidationTimeoutMs</c> (1-60000): the most that waiting for ovs-vswitchd and the purge may take once
    /// the change has committed; also capped by what is left of <see cref="Timeout"/>.
    /// </summary>
    public TimeSpan FlowRevalidationTimeout { get; }

    /// <summary><c>vswitchdCtl</c>: the ovs-vswitchd unixctl socket to use; null means "find it next to the OVSDB socket".</summary>
    public string? VswitchdCtl { get; }

    /// <summary><c>timeoutMs</c> (100-120000): the deadline of one invocation; 10 s when absent (DESIGN §6).</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// True when the config is in ovs-cni's <c>ovs-mirror-producer</c>/<c>ovs-mirror-consumer</c> schema
    /// (DESIGN §2, "ovs-cni compatibility").
    /// </summary>
    public bool OvsCniCompat { get; }

    /// <inheritdoc />
    public string EndpointKey => "socket_file";

    /// <inheritdoc />
    public bool HasMirrors => Mirrors.Count > 0;

    /// <inheritdoc />
    public IReadOnlyList<string> MirrorSummaries =>
        [.. Mirrors.Select(m => $"{m.Name} ({(m.Role == MirrorRole.Producer ? "producer" : "consumer")})")];

    /// <summary>ADD: the pod's OVS port, the host interface in prevResult.</summary>
    public string ResolveTarget(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // CNI SPEC §ADD: a chained plugin gets prevResult; CniResult.PassThrough refuses its absence first.
        return HostInterface.Find(request.NetworkConfig.PrevResult
            ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "prevResult is required for ADD"));
    }

    /// <summary>CHECK needs prevResult (CNI SPEC §CHECK); with no mirror it verifies that none records the attachment.</summary>
    public string? ResolveCheckTarget(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prevResult = request.NetworkConfig.PrevResult
            ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "prevResult is required for CHECK");
        return Mirrors.Count == 0 ? "" : HostInterface.Find(prevResult);
    }

    /// <inheritdoc />
    public IMirrorBackend Open(OvsdbConnection connection, long deadline, TextWriter log) =>
        new BridgeMirrorBackend(connection, this, deadline, new FlowRevalidator(this, log), log);
}
