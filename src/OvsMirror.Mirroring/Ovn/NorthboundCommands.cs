using OvsMirror.Cni;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>
/// The CNI commands for <c>"backend": "ovn"</c>: the pod's Logical_Switch_Port becomes a source of OVN Northbound
/// mirrors whose output is a GRE/ERSPAN tunnel to <c>sink</c>. State lives in Mirror:external_ids, as for bridges.
/// </summary>
internal sealed class NorthboundCommands(Action<string>? mark)
{
    public void Add(CniRequest request, CancellationToken cancellationToken)
    {
        var config = OvnConfigParser.Parse(request.NetworkConfig.Raw, request.NetworkConfig.ArgsObject);
        mark?.Invoke("config");
        if (config.Mirrors.Count == 0)
        {
            return;
        }

        var lsp = LogicalSwitchPortName.Resolve(config, request.Args);
        With(config, backend => backend.Attach(request.NetworkConfig.Name, Id(request), lsp, config.Mirrors), cancellationToken);
    }

    public void Del(CniRequest request, CancellationToken cancellationToken)
    {
        var config = OvnConfigParser.ParseForCleanup(request.NetworkConfig.Raw);
        mark?.Invoke("config");
        var id = Id(request);
        With(config, backend => backend.Detach((a, _) => a == id), cancellationToken);
    }

    public void Check(CniRequest request, CancellationToken cancellationToken)
    {
        var config = OvnConfigParser.Parse(request.NetworkConfig.Raw, request.NetworkConfig.ArgsObject);
        if (config.Mirrors.Count == 0)
        {
            return;
        }

        var lsp = LogicalSwitchPortName.Resolve(config, request.Args);
        var id = Id(request);
        With(config, backend =>
        {
            var differences = new List<string>();
            var rules = backend.ReadMirrorRules(lsp);
            if (rules is null)
            {
                differences.Add($"logical switch port {lsp} does not exist");
            }

            var mirrors = backend.Read();
            foreach (var wanted in config.Mirrors)
            {
                if (mirrors.FirstOrDefault(m => m.Name == wanted.Name) is not { } mirror)
                {
                    differences.Add($"mirror {wanted.Name} does not exist");
                    continue;
                }

                if (!mirror.Matches(wanted))
                {
                    differences.Add($"mirror {wanted.Name} has {mirror.Describe()}");
                }

                if (mirror.Records?.TryGetValue(id, out var record) != true || record!.LogicalSwitchPort != lsp)
                {
                    differences.Add($"mirror {wanted.Name} has no record of attachment {id} for {lsp}");
                }

                if (rules is not null && !rules.Contains(mirror.Uuid))
                {
                    differences.Add($"logical switch port {lsp} does not refer to mirror {wanted.Name} (mirror_rules)");
                }
            }

            if (differences.Count > 0)
            {
                throw new CniException(PluginErrorCode.CheckMismatch,
                    $"attachment {id} differs from its config: {differences[0]}" +
                    (differences.Count > 1 ? $" (and {differences.Count - 1} more)" : ""),
                    string.Join("; ", differences));
            }
        }, cancellationToken);
    }

    public void Status(CniRequest request, CancellationToken cancellationToken)
    {
        var config = OvnConfigParser.ParseForCleanup(request.NetworkConfig.Raw);
        try
        {
            // Reading the Mirror table proves the server answers and is an OVN Northbound that has mirrors.
            With(config, backend => backend.Read(), cancellationToken);
        }
        catch (CniException e) when (e.Code is CniErrorCode.TryAgainLater or CniErrorCode.IoFailure)
        {
            // CNI SPEC 1.1 §STATUS: 50 "the plugin is not available", with the reason.
            throw new CniException(CniErrorCode.PluginNotAvailable, e.Message, e.Details);
        }
    }

    public void Gc(CniRequest request, CancellationToken cancellationToken)
    {
        var config = OvnConfigParser.ParseForCleanup(request.NetworkConfig.Raw);
        var network = request.NetworkConfig.Name;
        var valid = (request.NetworkConfig.ValidAttachments ?? [])
            .Select(a => new AttachmentId(a.ContainerId, a.IfName)).ToHashSet();
        With(config, backend =>
        {
            // CNI SPEC 1.1 §GC: only this network's attachments.
            backend.Detach((id, record) => record.Network == network && !valid.Contains(id));

            // Owned mirrors left with no attachment (a DEL that died between its two transactions).
            foreach (var mirror in backend.Read().Where(m => m.Owned && m.Records is { Count: 0 } && m.ExternalIds?.Count == 1))
            {
                backend.RemoveIfUnused(mirror.Uuid);
            }
        }, cancellationToken);
    }

    private static AttachmentId Id(CniRequest request) => new(request.ContainerId, request.IfName);

    private void With(OvnPluginConfig config, Action<NorthboundMirrorBackend> action, CancellationToken cancellationToken) =>
        OvsdbSession.Run(config.Endpoint, config.Timeout, "ovn_nb", mark,
            (connection, deadline) => action(new NorthboundMirrorBackend(connection, deadline)), cancellationToken);
}
