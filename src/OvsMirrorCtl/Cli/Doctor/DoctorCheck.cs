namespace OvsMirror.Cli.Doctor;

/// <summary>One row of <c>ovs-mirrorctl doctor</c>: what was checked, the verdict, what was found, and the fix.</summary>
internal sealed class DoctorCheck
{
    public required string Check { get; init; }

    public required DoctorStatus Status { get; init; }

    public required string Detail { get; init; }

    /// <summary>One line a user can act on; null when there is nothing to do.</summary>
    public string? Fix { get; init; }
}
