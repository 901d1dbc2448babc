namespace OvsMirror.Testing;

/// <summary>A child process exited non-zero. The message carries the command, exit code and stderr.</summary>
public sealed class ProcessFailedException : Exception
{
    public ProcessFailedException()
    {
    }

    public ProcessFailedException(string message)
        : base(message)
    {
    }

    public ProcessFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProcessFailedException(ProcessResult result)
        : base(Describe(result ?? throw new ArgumentNullException(nameof(result))))
    {
        Result = result;
    }

    public ProcessResult? Result { get; }

    public int ExitCode => Result?.ExitCode ?? -1;

    public string StandardError => Result?.StandardError ?? string.Empty;

    private static string Describe(ProcessResult r)
    {
        var stderr = r.StandardError.Trim();
        var stdout = r.StandardOutput.Trim();
        return $"`{r.CommandLine}` exited with {r.ExitCode}"
            + (stderr.Length > 0 ? $"; stderr: {stderr}" : string.Empty)
            + (stderr.Length == 0 && stdout.Length > 0 ? $"; stdout: {stdout}" : string.Empty);
    }
}
