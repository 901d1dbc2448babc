namespace OvsMirror.Cli.Validate;

/// <summary>
/// What <c>validate</c> found for one ovs-mirror plugin config (or for a file it could not read): the CNI error
/// code and message the plugin would answer ADD with, or null for a valid config.
/// </summary>
internal sealed class ValidationFinding
{
    public required string File { get; init; }

    /// <summary>Where in the file: <c>NAD ns/name plugins[1]</c>, <c>plugins[1]</c>, <c>Deployment ns/name eth1 (NAD ns/name) plugins[1]</c>.</summary>
    public required string Where { get; init; }

    public required bool Valid { get; init; }

    /// <summary>The CNI error code (CNI SPEC §Error); null when valid.</summary>
    public int? Code { get; init; }

    public required string Message { get; init; }

    public string? Details { get; init; }
}
