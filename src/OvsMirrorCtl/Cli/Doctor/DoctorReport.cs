namespace OvsMirror.Cli.Doctor;

/// <summary><c>doctor -o json</c>.</summary>
internal sealed class DoctorReport
{
    /// <summary>False when any check failed.</summary>
    public bool Healthy { get; set; }

    public List<DoctorCheck> Checks { get; } = [];
}
