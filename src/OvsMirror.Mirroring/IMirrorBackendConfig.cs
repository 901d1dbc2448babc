using OvsMirror.Cni;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring;

/// <summary>A backend's validated config: the backend is chosen once, in parse (<see cref="MirrorBackends.Parse"/>).</summary>
internal interface IMirrorBackendConfig
{
    /// <summary>The config key that names the database (socket_file, ovn_nb), for error messages.</summary>
    string EndpointKey { get; }

    OvsdbEndpoint Endpoint { get; }

    /// <summary><c>timeoutMs</c>: the deadline of the whole command.</summary>
    TimeSpan Timeout { get; }

    /// <summary>Whether the config asks for any mirror (false for a cni-args NAD whose pod asks for none, and for cleanup).</summary>
    bool HasMirrors { get; }

    /// <summary>Each requested mirror as <c>NAME (ROLE)</c>, for <c>ovs-mirrorctl validate</c>.</summary>
    IReadOnlyList<string> MirrorSummaries { get; }

    /// <summary>ADD: what becomes a member (the OVS port from prevResult, the OVN LSP from CNI_ARGS or the config).</summary>
    string ResolveTarget(CniRequest request);

    /// <summary>CHECK: what to verify, or null when there is nothing to verify.</summary>
    string? ResolveCheckTarget(CniRequest request);

    /// <param name="deadline">A <see cref="System.Diagnostics.Stopwatch"/> timestamp.</param>
    /// <param name="log">stderr, for warnings.</param>
    IMirrorBackend Open(OvsdbConnection connection, long deadline, TextWriter log);
}
