using System.Globalization;
using OvsMirror.Mirroring;

namespace OvsMirror.Cli;

/// <summary>Turns an inventory into what list prints. Pure.</summary>
internal static class ReportBuilder
{
    public static ScopeReport Scope(MirrorInventory inventory) => new()
    {
        Backend = inventory.Backend,
        Scope = inventory.Scope,
        Exists = inventory.ScopeExists,
        StatisticsIntervalMs = inventory.StatisticsIntervalMs,
        Mirrors = [.. inventory.Mirrors.Select(Mirror)],
    };

    public static MirrorReport Mirror(InventoryMirror mirror)
    {
        var members = mirror.Members.Select(Member).ToList();
        return new MirrorReport
        {
            Name = mirror.Name,
            Uuid = mirror.Uuid.ToString("D"),
            Owner = mirror.Owned ? "ovs-mirror" : "other",
            Selection = mirror.Selection,
            Output = mirror.Output,
            Consumer = members.FirstOrDefault(m => m.Role == "consumer" && !m.Gone)?.Display,
            TxPackets = mirror.TxPackets,
            TxBytes = mirror.TxBytes,
            Members = members,
            UnparseableRecords = [.. mirror.UnparseableRecords.Select(r => r.Key)],
        };
    }

    public static MemberReport Member(InventoryMember member)
    {
        var pod = member.Record.Pod;
        return new MemberReport
        {
            Role = member.Role,
            ContainerId = member.Id.ContainerId,
            IfName = member.Id.IfName,
            Network = member.Record.Network,
            Namespace = pod?.Namespace,
            Pod = pod?.Name,
            PodUid = pod?.Uid,
            Port = member.Record.Target,
            Gone = member.TargetGone,
            Display = Display(member),
        };
    }

    /// <summary>
    /// <c>namespace/pod ifname (port)</c>; a record written before pods were recorded shows the container id instead
    /// (its first 12 characters, as crictl does).
    /// </summary>
    public static string Display(InventoryMember member)
    {
        var who = member.Record.Pod?.ToString()
            ?? "container " + (member.Id.ContainerId.Length > 12 ? member.Id.ContainerId[..12] : member.Id.ContainerId);
        return string.Create(CultureInfo.InvariantCulture, $"{who} {member.Id.IfName} ({member.Record.Target})") + (member.TargetGone ? " [gone]" : "");
    }
}
