using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
namespace OvsMirror.Testing;

/// <summary>
/// A long-running command inside a network namespace (<c>ip netns exec NS CMD…</c>; ip execs, so the
/// child PID is the command's): tcpdump, a continuous ping, an nc server. It is stopped by its PID only
/// (SIGINT, then SIGKILL after a grace period) and reaped, never by name.
/// </summary>
public sealed class NetnsProcess : IAsyncDisposable
{
    private const int SigInt = 2;
    private static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(3);

    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly Lock outputLock = new();
    private readonly List<(bool Stderr, string Text, TaskCompletionSource Seen)> waiters = [];

    private NetnsProcess(string description, Process process)
    {
        Description = description;
        this.process = process;
    }

    public string Description { get; }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public string StandardOutput
    {
        get
        {
            lock (outputLock)
            {
                return stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (outputLock)
            {
                return stderr.ToString();
            }
        }
    }

    public static NetnsProcess Start(string netns, IReadOnlyList<string> command)
    {
        var ip = OvsTools.Require("ip");
        var psi = new ProcessStartInfo(ip)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["netns", "exec", netns, .. command])
        {
            psi.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = psi };
        var started = new NetnsProcess($"[{netns}] {string.Join(' ', command)}", process);
        process.OutputDataReceived += (_, e) => started.Append(started.stdout, e.Data, fromStderr: false);
        process.ErrorDataReceived += (_, e) => started.Append(started.stderr, e.Data, fromStderr: true);
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits until a line of stderr contains <paramref name="text"/> (a readiness message); throws on exit or timeout.</summary>
    public Task WaitForStandardErrorAsync(string text, TimeSpan timeout) => WaitForLineAsync(stderr: true, text, timeout);

    /// <summary>Waits until a line of stdout contains <paramref name="text"/>; throws on exit or timeout.</summary>
    public Task WaitForStandardOutputAsync(string text, TimeSpan timeout) => WaitForLineAsync(stderr: false, text, timeout);

    private async Task WaitForLineAsync(bool stderr, string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (outputLock)
        {
            if ((stderr ? this.stderr : stdout).ToString().Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            waiters.Add((stderr, text, seen));
        }

        using var cts = new CancellationTokenSource(timeout);
        var exited = process.WaitForExitAsync(cts.Token);
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(Timeout.Infinite, cts.Token)).ConfigureAwait(false);
        if (first == seen.Task)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            return;
        }

        if (process.HasExited)
        {
            process.WaitForExit(); // drain the output
            throw new InvalidOperationException(
                $"{Description} exited with {process.ExitCode} before printing '{text}'; stdout: {StandardOutput.Trim()} stderr: {StandardError.Trim()}");
        }

        throw new TimeoutException(
            $"{Description} did not print '{text}' within {timeout.TotalSeconds} s; stdout: {StandardOutput.Trim()} stderr: {StandardError.Trim()}");
    }

    /// <summary>Waits for the process to exit by itself; false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            process.WaitForExit(); // drain the output
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGINT (tcpdump flushes, ping prints its summary), SIGKILL after <paramref name="grace"/>; reaps it.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (process.HasExited)
        {
            process.WaitForExit();
            return;
        }

        _ = Kill(process.Id, SigInt);
        if (!await WaitForExitAsync(grace ?? DefaultGrace).ConfigureAwait(false))
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }

        process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);

    private void Append(StringBuilder sb, string? line, bool fromStderr)
    {
        if (line is null)
        {
            return;
        }

        lock (outputLock)
        {
            if (sb.Length < 256 * 1024)
            {
                sb.AppendLine(line);
            }

            foreach (var w in waiters.Where(w => w.Stderr == fromStderr && line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                w.Seen.TrySetResult();
                waiters.Remove(w);
            }
        }
    }
}
