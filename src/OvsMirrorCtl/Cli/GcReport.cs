namespace OvsMirror.Cli;

/// <summary><c>gc -o json</c>.</summary>
internal sealed class GcReport
{
    public bool DryRun { get; set; }

    public List<GcScopeReport> Scopes { get; set; } = [];
}
