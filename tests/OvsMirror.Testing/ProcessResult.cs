namespace OvsMirror.Testing;

/// <summary>The outcome of one finished child process, as captured by <see cref="ProcessRunner"/>.</summary>
public sealed record ProcessResult(
    string FileName,
    IReadOnlyList<string> Arguments,
    int ExitCode,
    string StandardOutput,
    string StandardError,
    TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>For messages only: the arguments quoted as a shell would need them.</summary>
    public string CommandLine => ProcessRunner.FormatCommandLine(FileName, Arguments);

    /// <summary>Returns this result, or throws <see cref="ProcessFailedException"/> on a non-zero exit.</summary>
    public ProcessResult EnsureSuccess() => Succeeded ? this : throw new ProcessFailedException(this);
}
