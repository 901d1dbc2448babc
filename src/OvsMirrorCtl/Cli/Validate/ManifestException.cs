namespace OvsMirror.Cli.Validate;

/// <summary>A file <c>validate</c> cannot read as a manifest or a config.</summary>
internal sealed class ManifestException(string message) : Exception(message);
