namespace OvsMirror.Cli;

internal sealed class GcScopeReport
{
    public string Scope { get; set; } = "";

    /// <summary>Attachments whose port (or LSP) is gone: "mirror: namespace/pod ifname (port)".</summary>
    public List<string> Attachments { get; set; } = [];

    /// <summary>Owned mirrors with no attachment.</summary>
    public List<string> EmptyMirrors { get; set; } = [];

    /// <summary>Records this version cannot read: "mirror: key".</summary>
    public List<string> UnparseableRecords { get; set; } = [];
}
