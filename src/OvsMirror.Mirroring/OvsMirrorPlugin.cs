using System.Text.Json.Nodes;
using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovn;
using OvsMirror.Mirroring.Ovs;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring;

/// <summary>
/// The ovs-mirror CNI plugin: makes a pod's OVS port a source or the output of named mirrors on an
/// Open vSwitch bridge. All state lives in OVSDB (records in Mirror:external_ids), none in files.
/// </summary>
/// <param name="log">stderr.</param>
/// <param name="mark">Called as each step ends ("config", "connect", each OVSDB call, "revalidate"), for an
/// opt-in timing breakdown; null costs nothing.</param>
public sealed class OvsMirrorPlugin(TextWriter log, Action<string>? mark = null) : ICniPlugin
{
    /// <inheritdoc />
    public JsonObject Add(CniRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SelectsOvn(request.NetworkConfig.Raw))
        {
            new NorthboundCommands(mark).Add(request, cancellationToken);
            return CniResult.PassThrough(request.NetworkConfig);
        }

        var config = PluginConfigParser.Parse(request.NetworkConfig, request.ProgramName);
        var output = CniResult.PassThrough(request.NetworkConfig);
        mark?.Invoke("config");
        if (config.Mirrors.Count == 0)
        {
            // A NAD of the cni-args approach, used by a pod that asked for no mirror: nothing to do.
            return output;
        }

        var port = HostInterface.Find(request.NetworkConfig.PrevResult!);
        WithBackend(config, backend =>
        {
            backend.Attach(request.NetworkConfig.Name, Id(request), port, config.Mirrors);
            backend.RevalidateFlows();
            mark?.Invoke("revalidate");
        }, cancellationToken);
        return output;
    }

    /// <inheritdoc />
    public void Del(CniRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SelectsOvn(request.NetworkConfig.Raw))
        {
            new NorthboundCommands(mark).Del(request, cancellationToken);
            return;
        }

        var config = PluginConfigParser.ParseForCleanup(request.NetworkConfig, request.ProgramName);
        mark?.Invoke("config");
        var id = Id(request);
        WithBackend(config, backend =>
        {
            if (backend.Detach((a, _) => a == id, a => a == id))
            {
                backend.RevalidateFlows();
                mark?.Invoke("revalidate");
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public void Check(CniRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SelectsOvn(request.NetworkConfig.Raw))
        {
            new NorthboundCommands(mark).Check(request, cancellationToken);
            return;
        }

        var config = PluginConfigParser.Parse(request.NetworkConfig, request.ProgramName);
        var prevResult = request.NetworkConfig.PrevResult
            ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "prevResult is required for CHECK");
        var portName = config.Mirrors.Count == 0 ? "" : HostInterface.Find(prevResult);
        WithBackend(config, backend =>
        {
            var snapshot = backend.Read(withPortSets: true);
            var port = config.Mirrors.Count == 0 ? null : backend.ReadPort(portName);
            var differences = AttachmentDiff.Find(snapshot, config.Bridge, port, portName, request.NetworkConfig.Name,
                Id(request), config.Mirrors);
            if (differences.Count > 0)
            {
                throw new CniException(PluginErrorCode.CheckMismatch,
                    $"attachment {Id(request)} differs from its config: {differences[0]}" +
                    (differences.Count > 1 ? $" (and {differences.Count - 1} more)" : ""),
                    string.Join("; ", differences));
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public void Status(CniRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SelectsOvn(request.NetworkConfig.Raw))
        {
            new NorthboundCommands(mark).Status(request, cancellationToken);
            return;
        }

        var config = PluginConfigParser.ParseForCleanup(request.NetworkConfig, request.ProgramName);
        try
        {
            WithBackend(config, backend =>
            {
                if (backend.ReadBridge() is null)
                {
                    throw new CniException(CniErrorCode.PluginNotAvailable,
                        $"bridge {config.Bridge} does not exist in OVSDB at {config.Endpoint}");
                }
            }, cancellationToken);
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
        if (SelectsOvn(request.NetworkConfig.Raw))
        {
            new NorthboundCommands(mark).Gc(request, cancellationToken);
            return;
        }

        var config = PluginConfigParser.ParseForCleanup(request.NetworkConfig, request.ProgramName);
        var network = request.NetworkConfig.Name;
        var valid = (request.NetworkConfig.ValidAttachments ?? [])
            .Select(a => new AttachmentId(a.ContainerId, a.IfName)).ToHashSet();
        WithBackend(config, backend =>
        {
            var errors = new List<string>();
            var changed = false;
            try
            {
                // CNI SPEC 1.1 §GC: only this network's attachments; others on the same bridge are not ours to judge.
                changed = backend.Detach((id, record) => record.Network == network && !valid.Contains(id));
            }
            catch (CniException e)
            {
                errors.Add(e.Message);
            }

            // Owned mirrors left with no attachment at all (a DEL that died between its two transactions).
            foreach (var mirror in backend.Read().Mirrors.Where(m => m.Owned && m.Records is { Count: 0 } && m.ExternalIds?.Count == m.EmptyExternalIds.Count))
            {
                try
                {
                    changed |= backend.RemoveIfEmpty(mirror);
                }
                catch (CniException e)
                {
                    errors.Add(e.Message);
                }
            }

            if (changed)
            {
                backend.RevalidateFlows();
            }

            if (errors.Count > 0)
            {
                throw new CniException(CniErrorCode.TryAgainLater,
                    $"GC finished with {errors.Count} error(s): {errors[0]}", string.Join("; ", errors));
            }
        }, cancellationToken);
    }

    /// <summary>Whether the config selects backend ovn (<c>backend</c> is <c>ovs</c>, the default, or <c>ovn</c>).</summary>
    private static bool SelectsOvn(JsonObject raw) => ConfigValueReader.OptionalString(raw, "backend", "backend") switch
    {
        null or "ovs" => false,
        "ovn" => true,
        var word => throw ConfigValueReader.Invalid($"backend: {MessageText.Word(word)} is not one of ovs, ovn"),
    };

    private static AttachmentId Id(CniRequest request) => new(request.ContainerId, request.IfName);

    /// <summary>One connection and one deadline for the command (<see cref="OvsdbSession"/>).</summary>
    private void WithBackend(PluginConfig config, Action<BridgeMirrorBackend> action, CancellationToken cancellationToken) =>
        OvsdbSession.Run(config.Endpoint, config.Timeout, "socket_file", mark,
            (connection, deadline) => action(new BridgeMirrorBackend(connection, config.Bridge, deadline, new FlowRevalidator(config, log))),
            cancellationToken);
}
