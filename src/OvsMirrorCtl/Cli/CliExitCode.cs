namespace OvsMirror.Cli;

/// <summary>The operator CLI's exit codes (README, "Operator CLI").</summary>
internal static class CliExitCode
{
    /// <summary>Done: listed, collected (or a dry run), every check passed or warned.</summary>
    public const int Success = 0;

    /// <summary>A bad command line, or the database could not be reached or refused (the CNI code and message on stderr).</summary>
    public const int Failure = 1;

    /// <summary><c>gc</c> without <c>--dry-run</c> or <c>--yes</c>: nothing was changed.</summary>
    public const int NotConfirmed = 2;

    /// <summary><c>validate</c>: a config is invalid; <c>doctor</c>: a check failed.</summary>
    public const int NotValid = 3;
}
