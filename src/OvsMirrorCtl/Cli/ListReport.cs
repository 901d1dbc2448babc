namespace OvsMirror.Cli;

/// <summary><c>list -o json</c>: one entry per scope (bridge, or OVN Northbound).</summary>
internal sealed class ListReport
{
    public List<ScopeReport> Scopes { get; set; } = [];
}
