using System.Diagnostics;
using System.Globalization;

namespace OvsMirror.Bench;

/// <summary>A process to run: file, arguments, extra environment, stdin.</summary>
internal sealed record Command(string File, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Env, string Stdin)
{
    public static readonly IReadOnlyDictionary<string, string> NoEnv = new Dictionary<string, string>();

    public static Command Of(string file, params string[] args) => new(file, args, NoEnv, "");

    public override string ToString() => File + (Args.Count == 0 ? "" : " " + string.Join(' ', Args));
}

/// <summary>One finished call: wall time measured by the harness (spawn to reaped), exit code, output.</summary>
internal sealed record CallResult(double WallMs, int ExitCode, string Stdout, string Stderr)
{
    public bool Ok => ExitCode == 0;

    /// <summary>The "ovs-mirror-timing …" line of stderr, if any.</summary>
    public string? TimingLine => Stderr.Split('\n').FirstOrDefault(l => l.StartsWith("ovs-mirror-timing ", StringComparison.Ordinal));

    public string Describe() => $"exit {ExitCode}; stdout: {Trim(Stdout)}; stderr: {Trim(Stderr)}";

    private static string Trim(string s) => s.Length > 600 ? s[..600] + "…" : s.Trim();
}

/// <summary>
/// Runs child processes the same way for every contender: all three stdio streams are pipes, stdin is
/// written and closed, stdout then stderr are read to the end, then the child is reaped. The wall time
/// starts right before Process.Start and ends when WaitForExit returns.
/// </summary>
internal static class Proc
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <param name="timing">Set OVS_MIRROR_TIMING to the CLOCK_MONOTONIC time (ns) right before the spawn.</param>
    public static CallResult Run(Command cmd, bool timing = false, TimeSpan? timeout = null)
    {
        var psi = Prepare(cmd);
        long start;
        if (timing)
        {
            start = Stopwatch.GetTimestamp();
            psi.Environment["OVS_MIRROR_TIMING"] = start.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            start = Stopwatch.GetTimestamp();
        }

        using var process = Process.Start(psi) ?? throw new BenchException($"could not start {cmd.File}");
        using var watchdog = new Timer(static p => TryKill((Process)p!), process, timeout ?? DefaultTimeout, Timeout.InfiniteTimeSpan);
        WriteStdin(process, cmd.Stdin);
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var end = Stopwatch.GetTimestamp();
        return new CallResult(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds, process.ExitCode, stdout, stderr);
    }

    /// <summary>For setup and checks: throws with the output when the command fails.</summary>
    public static string RunChecked(Command cmd, TimeSpan? timeout = null)
    {
        var r = Run(cmd, timeout: timeout);
        return r.Ok ? r.Stdout : throw new BenchException($"`{cmd}` failed: {r.Describe()}");
    }

    /// <summary>
    /// Starts every command as fast as one thread can spawn them (as kubelet starting many pods does), each
    /// watched by its own thread, and returns when all have exited. Wall times are per call, from its own spawn.
    /// </summary>
    public static (IReadOnlyList<CallResult> Results, double WallMs) RunAllAtOnce(IReadOnlyList<Command> cmds, bool timing)
    {
        var results = new CallResult[cmds.Count];
        var threads = new List<Thread>(cmds.Count);
        var t0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < cmds.Count; i++)
        {
            var psi = Prepare(cmds[i]);
            var start = Stopwatch.GetTimestamp();
            if (timing)
            {
                psi.Environment["OVS_MIRROR_TIMING"] = start.ToString(CultureInfo.InvariantCulture);
            }

            var process = Process.Start(psi) ?? throw new BenchException($"could not start {cmds[i].File}");
            var index = i;
            var stdin = cmds[i].Stdin;
            var thread = new Thread(() =>
            {
                using (process)
                using (new Timer(static p => TryKill((Process)p!), process, DefaultTimeout, Timeout.InfiniteTimeSpan))
                {
                    WriteStdin(process, stdin);
                    var stdout = process.StandardOutput.ReadToEnd();
                    var stderr = process.StandardError.ReadToEnd();
                    process.WaitForExit();
                    var end = Stopwatch.GetTimestamp();
                    results[index] = new CallResult(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds, process.ExitCode, stdout, stderr);
                }
            }) { IsBackground = true };
            thread.Start();
            threads.Add(thread);
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        return (results, Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
    }

    private static ProcessStartInfo Prepare(Command cmd)
    {
        var psi = new ProcessStartInfo(cmd.File)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in cmd.Args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove("OVS_MIRROR_TIMING");
        foreach (var (k, v) in cmd.Env)
        {
            psi.Environment[k] = v;
        }

        return psi;
    }

    private static void WriteStdin(Process process, string text)
    {
        try
        {
            if (text.Length > 0)
            {
                process.StandardInput.Write(text);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // EPIPE: the child exited without reading stdin (/bin/true); its exit code tells the story
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }
}

internal sealed class BenchException(string message) : Exception(message);
