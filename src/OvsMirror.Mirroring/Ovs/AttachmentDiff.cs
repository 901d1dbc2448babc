using OvsMirror.Mirroring.Config;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// CHECK (CNI SPEC §CHECK): what differs between OVSDB and what the config asks of this attachment.
/// Pure, over a full snapshot of the bridge's mirrors.
/// </summary>
internal static class AttachmentDiff
{
    public static IReadOnlyList<string> Find(BridgeMirrorsSnapshot snapshot, string bridgeName, PortSnapshot? port,
        string portName, string network, AttachmentId id, IReadOnlyList<MirrorRequest> requests)
    {
        var differences = new List<string>();
        if (snapshot.Bridge is null)
        {
            return [$"bridge {bridgeName} does not exist"];
        }

        if (port is null && requests.Count > 0)
        {
            return [$"port {portName} does not exist"];
        }

        foreach (var request in requests)
        {
            var mirrors = snapshot.Mirrors.Where(m => m.Name == request.Name).ToList();
            if (mirrors.Count != 1)
            {
                differences.Add(mirrors.Count == 0
                    ? $"mirror {request.Name} is not on bridge {bridgeName}"
                    : $"bridge {bridgeName} has {mirrors.Count} mirrors named {request.Name}");
                continue;
            }

            var mirror = mirrors[0];
            var expected = RecordResolver.Resolve(request, network, port!);
            if (mirror.Records?.GetValueOrDefault(id) is not { } actual)
            {
                differences.Add($"mirror {request.Name} has no record of attachment {id}");
            }
            else if (actual.FormatMembership() != expected.FormatMembership())
            {
                // Who the pod is (CNI_ARGS) is information, not config: a record written before it was kept still matches.
                differences.Add($"mirror {request.Name} records attachment {id} as \"{actual.FormatMembership()}\", the config asks for \"{expected.FormatMembership()}\"");
            }

            CheckColumns(mirror, expected, differences);
            if (request.Remote is { } remote)
            {
                if (mirror.Remote != remote.Canonical())
                {
                    differences.Add($"mirror {request.Name} outputs to remote \"{mirror.Remote ?? "none"}\", the config asks for \"{remote.Canonical()}\"");
                }
                else if (mirror.OutputPort is null)
                {
                    differences.Add($"mirror {request.Name} has no output: its tunnel port {TunnelPort.Name(bridgeName, request.Name)} is gone");
                }
            }
        }

        foreach (var mirror in snapshot.Mirrors)
        {
            if (mirror.Records?.ContainsKey(id) == true && !requests.Any(r => r.Name == mirror.Name))
            {
                differences.Add($"attachment {id} is also recorded on mirror {mirror.Name}, which the config does not name");
            }
        }

        return differences;
    }

    private static void CheckColumns(MirrorSnapshot mirror, AttachmentRecord expected, List<string> differences)
    {
        var name = mirror.Name;
        if (expected.Role == MirrorRole.Consumer)
        {
            if (expected.Output == MirrorOutputKind.Port && mirror.OutputPort != expected.PortUuid)
            {
                differences.Add($"mirror {name} output_port is not port {expected.PortName}");
            }

            if (expected.Output == MirrorOutputKind.Vlan && mirror.OutputVlan != expected.OutputVlan)
            {
                differences.Add($"mirror {name} output_vlan is not {expected.OutputVlan}");
            }

            return;
        }

        if ((expected.Selection & MirrorSelection.SrcPort) != 0 && mirror.SelectSrcPort?.Contains(expected.PortUuid) != true)
        {
            differences.Add($"mirror {name} select_src_port lacks port {expected.PortName}");
        }

        if ((expected.Selection & MirrorSelection.DstPort) != 0 && mirror.SelectDstPort?.Contains(expected.PortUuid) != true)
        {
            differences.Add($"mirror {name} select_dst_port lacks port {expected.PortName}");
        }

        if (expected.SelectsAllTraffic && !mirror.SelectAll)
        {
            differences.Add($"mirror {name} select_all is false");
        }

        foreach (var vlan in expected.Vlans)
        {
            if (!mirror.SelectVlan.Contains(vlan))
            {
                differences.Add($"mirror {name} select_vlan lacks VLAN {vlan}");
            }
        }
    }
}
