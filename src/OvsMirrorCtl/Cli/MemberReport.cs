namespace OvsMirror.Cli;

internal sealed class MemberReport
{
    public string Role { get; set; } = "";

    public string ContainerId { get; set; } = "";

    public string IfName { get; set; } = "";

    public string Network { get; set; } = "";

    public string? Namespace { get; set; }

    public string? Pod { get; set; }

    public string? PodUid { get; set; }

    /// <summary>The OVS port or the OVN Logical_Switch_Port.</summary>
    public string Port { get; set; } = "";

    /// <summary>The port (or LSP) no longer exists.</summary>
    public bool Gone { get; set; }

    /// <summary><c>namespace/pod ifname (port)</c>, as the table shows it.</summary>
    public string Display { get; set; } = "";
}
