using System.Diagnostics;
using System.Text;

namespace OvsMirror.Testing;

/// <summary>
/// Runs a child process with an argument list (never a shell string), captures stdout and
/// stderr, and enforces a deadline. Safe to use from parallel tests.
/// </summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <paramref name="fileName"/> to completion and returns its exit code and output.
    /// Throws <see cref="TimeoutException"/> (after killing the process tree) when the deadline
    /// passes, and <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? standardInput = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        var args = arguments.ToArray();
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                psi.Environment[k] = v;
            }
        }

        var deadline = timeout ?? DefaultTimeout;
        using var timeoutCts = new CancellationTokenSource(deadline);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutCts.Token, cancellationToken);
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi)
            ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdoutTask = process.StandardOutput.ReadToEndAsync(linked.Token);
        var stderrTask = process.StandardError.ReadToEndAsync(linked.Token);
        try
        {
            await WriteStandardInputAsync(process, standardInput, linked.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            var stdout = await stdoutTask.ConfigureAwait(false);
            var stderr = await stderrTask.ConfigureAwait(false);
            return new ProcessResult(fileName, args, process.ExitCode, stdout, stderr, sw.Elapsed);
        }
        catch (OperationCanceledException ex)
        {
            KillTree(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"`{FormatCommandLine(fileName, args)}` was cancelled", ex, cancellationToken);
            }

            if (timeoutCts.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"`{FormatCommandLine(fileName, args)}` did not finish within {deadline.TotalSeconds:0.###} s; killed", ex);
            }

            throw;
        }
    }

    /// <summary>Like <see cref="RunAsync"/>, but throws <see cref="ProcessFailedException"/> on a non-zero exit.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? standardInput = null,
        CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(fileName, arguments, timeout, environment, standardInput, cancellationToken)
            .ConfigureAwait(false);
        return result.EnsureSuccess();
    }

    /// <summary>For messages and logs only; the processes themselves never see a shell.</summary>
    public static string FormatCommandLine(string fileName, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quote));
    }

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%".Contains(c, StringComparison.Ordinal))
            ? s
            : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task WriteStandardInputAsync(Process process, string? text, CancellationToken ct)
    {
        try
        {
            if (text is not null)
            {
                await process.StandardInput.WriteAsync(text.AsMemory(), ct).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // EPIPE: the child exited without reading its input; its exit code tells the story
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
