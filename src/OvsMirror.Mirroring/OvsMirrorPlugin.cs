using OvsMirror.Cni;

namespace OvsMirror.Mirroring;

/// <summary>
/// The ovs-mirror CNI plugin: makes a pod's port a source or the output of named mirrors, on an Open vSwitch bridge or
/// in OVN Northbound. All state lives in the database (records in Mirror:external_ids), none in files. This is the one
/// copy of each command; the backend, chosen once in parse (<see cref="MirrorBackends"/>), does the rest.
/// </summary>
/// <param name="log">stderr.</param>
/// <param name="mark">Called as each step ends ("config", "connect", each OVSDB call, "committed", "revalidate"), for an
/// opt-in timing breakdown; null costs nothing.</param>
public sealed class OvsMirrorPlugin(TextWriter log, Action<string>? mark = null) : ICniPlugin
{
    /// <inheritdoc />
    public System.Text.Json.Nodes.JsonObject Add(CniRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = MirrorBackends.Parse(request.NetworkConfig, request.ProgramName, ConfigPurpose.Attach);
        var output = CniResult.PassThrough(request.NetworkConfig);
        mark?.Invoke("config");
        if (!config.HasMirrors)
        {
            // A NAD of the cni-args approach, used by a pod that asked for no mirror: nothing to do.
            return output;
        }

        var target = config.ResolveTarget(request);
        var pod = PodIdentity.FromCniArgs(request.Args);
        WithBackend(config, backend =>
        {
            backend.Attach(Id(request), request.NetworkConfig.Name, pod, target);
            mark?.Invoke("committed");
            backend.ApplyToFlows();
            mark?.Invoke("revalidate");
        }, cancellationToken);
        return output;
    }

    /// <inheritdoc />
    public void Del(CniRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = MirrorBackends.Parse(request.NetworkConfig, request.ProgramName, ConfigPurpose.Cleanup);
        mark?.Invoke("config");
        // CNI SPEC 1.1 §DEL: prevResult is optional; when it names the port, a backend can find the records from it.
        var selector = AttachmentSelector.One(Id(request), HostInterface.TryFind(request.NetworkConfig.PrevResult));
        WithBackend(config, backend =>
        {
            if (backend.Detach(selector).Changed)
            {
                mark?.Invoke("committed");
                backend.ApplyToFlows();
                mark?.Invoke("revalidate");
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public void Check(CniRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = MirrorBackends.Parse(request.NetworkConfig, request.ProgramName, ConfigPurpose.Attach);
        if (config.ResolveCheckTarget(request) is not { } target)
        {
            return;
        }

        var id = Id(request);
        WithBackend(config, backend =>
        {
            var differences = backend.Diff(id, request.NetworkConfig.Name, target);
            if (differences.Count > 0)
            {
                throw new CniException(PluginErrorCode.CheckMismatch,
                    $"attachment {id} differs from its config: {differences[0]}" +
                    (differences.Count > 1 ? $" (and {differences.Count - 1} more)" : ""),
                    string.Join("; ", differences));
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public void Status(CniRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = MirrorBackends.Parse(request.NetworkConfig, request.ProgramName, ConfigPurpose.Cleanup);
        try
        {
            WithBackend(config, backend => backend.Probe(), cancellationToken);
        }
        catch (CniException e) when (e.Code is CniErrorCode.TryAgainLater or CniErrorCode.IoFailure)
        {
            // CNI SPEC 1.1 §STATUS: 50 "the plugin is not available", with the reason.
            throw new CniException(CniErrorCode.PluginNotAvailable, e.Message, e.Details);
        }
    }

    /// <inheritdoc />
    public void Gc(CniRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = MirrorBackends.Parse(request.NetworkConfig, request.ProgramName, ConfigPurpose.Cleanup);
        var valid = (request.NetworkConfig.ValidAttachments ?? [])
            .Select(a => new AttachmentId(a.ContainerId, a.IfName)).ToHashSet();

        // CNI SPEC 1.1 §GC: only this network's attachments; others in the same database are not ours to judge.
        var selector = AttachmentSelector.NotValid(request.NetworkConfig.Name, valid);
        WithBackend(config, backend => CollectGarbage(backend, selector), cancellationToken);
    }

    /// <summary>
    /// The one GC, for every backend (the plugin's and the operator's): detach what <paramref name="selector"/> picks,
    /// then remove owned mirrors left with no attachment (a DEL that died between its two transactions). It goes on past
    /// each error and reports them all at the end (code 11), so one bad mirror never shields the rest.
    /// </summary>
    /// <param name="unparseable">Records this version cannot read, to remove as well (the operator's GC); null: none.</param>
    internal static GcOutcome CollectGarbage(IMirrorBackend backend, AttachmentSelector selector, IReadOnlyList<UnparseableRecord>? unparseable = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var errors = new List<string>();
        var changed = false;
        IReadOnlyList<DetachedAttachment> detached = [];
        var removed = new List<EmptyMirror>();
        try
        {
            var outcome = backend.Detach(selector);
            changed = outcome.Changed;
            detached = outcome.Detached;
        }
        catch (CniException e)
        {
            errors.Add(e.Message);
        }

        foreach (var record in unparseable ?? [])
        {
            try
            {
                changed |= backend.RemoveRecord(record);
            }
            catch (CniException e)
            {
                errors.Add($"mirror {record.Mirror}, record {record.Key}: {e.Message}");
            }
        }

        IReadOnlyList<EmptyMirror> empty = [];
        try
        {
            empty = backend.FindEmptyOwnedMirrors();
        }
        catch (CniException e)
        {
            errors.Add(e.Message);
        }

        foreach (var mirror in empty)
        {
            try
            {
                if (backend.RemoveIfEmpty(mirror))
                {
                    changed = true;
                    removed.Add(mirror);
                }
            }
            catch (CniException e)
            {
                errors.Add($"mirror {mirror.Name}: {e.Message}");
            }
        }

        if (changed)
        {
            backend.ApplyToFlows();
        }

        if (errors.Count > 0)
        {
            throw new CniException(CniErrorCode.TryAgainLater,
                $"GC finished with {errors.Count} error(s): {errors[0]}", string.Join("; ", errors));
        }

        return new GcOutcome(detached, removed);
    }

    private static AttachmentId Id(CniRequest request) => new(request.ContainerId, request.IfName);

    /// <summary>One connection and one deadline for the command (<see cref="OvsdbSession"/>).</summary>
    private void WithBackend(IMirrorBackendConfig config, Action<IMirrorBackend> action, CancellationToken cancellationToken) =>
        OvsdbSession.Run(config.Endpoint, config.Timeout, config.EndpointKey, mark,
            (connection, deadline) => action(config.Open(connection, deadline, log)), cancellationToken);
}
