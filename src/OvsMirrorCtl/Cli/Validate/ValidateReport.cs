namespace OvsMirror.Cli.Validate;

/// <summary><c>validate -o json</c>.</summary>
internal sealed class ValidateReport
{
    public bool Valid { get; set; }

    public List<ValidationFinding> Findings { get; } = [];
}
