namespace OvsMirror.Cli;

internal sealed class MirrorReport
{
    public string Name { get; set; } = "";

    public string Uuid { get; set; } = "";

    /// <summary>"ovs-mirror" when ovs-mirror created it, else "other".</summary>
    public string Owner { get; set; } = "";

    public string Selection { get; set; } = "";

    public string Output { get; set; } = "";

    /// <summary>The consumer pod, when a recorded attachment is the output port.</summary>
    public string? Consumer { get; set; }

    public long? TxPackets { get; set; }

    public long? TxBytes { get; set; }

    public List<MemberReport> Members { get; set; } = [];

    public List<string> UnparseableRecords { get; set; } = [];
}
