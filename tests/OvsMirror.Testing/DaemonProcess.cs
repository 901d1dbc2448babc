using System.Diagnostics;
using System.Text;

namespace OvsMirror.Testing;

/// <summary>
/// A long-running child (ovsdb-server, ovs-vswitchd) started WITHOUT --detach, so that it stays
/// our child: stopping it is a signal plus a wait that reaps it at once (no zombie waiting for PID 1).
/// Its stdout and stderr are drained into a bounded buffer for error messages.
/// </summary>
internal sealed class DaemonProcess : IDisposable
{
    private const int MaxCapturedChars = 16 * 1024;
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly Lock outputLock = new();

    private DaemonProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public string Name { get; }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public bool IsPaused { get; private set; }

    public string CapturedOutput
    {
        get
        {
            lock (outputLock)
            {
                return output.ToString();
            }
        }
    }

    public static DaemonProcess Start(
        string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
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

        var process = new Process { StartInfo = psi };
        var daemon = new DaemonProcess(name, process);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
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
        return daemon;
    }

    public void Pause()
    {
        Signal(NativeMethods.SIGSTOP);
        IsPaused = true;
    }

    public void Resume()
    {
        Signal(NativeMethods.SIGCONT);
        IsPaused = false;
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>; returns once the child is reaped.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        if (IsPaused)
        {
            Resume(); // a stopped process keeps SIGTERM pending until continued
        }

        _ = NativeMethods.Kill(process.Id, NativeMethods.SIGTERM);
        using (var cts = new CancellationTokenSource(grace))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                // did not stop in time: kill below
            }
        }

        process.Kill();
        await process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>SIGKILL (no chance to clean up, as a crash or the OOM killer would); returns once the child is reaped.</summary>
    public async Task KillAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        _ = NativeMethods.Kill(process.Id, NativeMethods.SIGKILL);
        await process.WaitForExitAsync().ConfigureAwait(false);
        IsPaused = false;
    }

    /// <summary>Waits until the child exits (for racing against a readiness check).</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => process.WaitForExitAsync(cancellationToken);

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }

        process.Dispose();
    }

    public string Describe() =>
        HasExited
            ? $"{Name} (pid {Pid}) exited with {process.ExitCode}; its output: {CapturedOutput.Trim()}"
            : $"{Name} (pid {Pid}) is running; its output: {CapturedOutput.Trim()}";

    private void Signal(int signal)
    {
        if (NativeMethods.Kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException(
                $"kill({process.Id}, {signal}) for {Name} failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (outputLock)
        {
            if (output.Length < MaxCapturedChars)
            {
                output.AppendLine(line);
            }
        }
    }
}
