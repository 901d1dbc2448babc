using System.Diagnostics;

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
/// Runs child processes the same way for every contender (<see cref="Spawn"/>: posix_spawnp, all three stdio
/// streams pipes, stdin written and closed, stdout and stderr read to EOF, the child reaped). The wall time starts
/// right before posix_spawnp and ends when waitpid returns.
/// </summary>
internal static class Proc
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <param name="timing">Set OVS_MIRROR_TIMING to the CLOCK_MONOTONIC time (ns) right before the spawn.</param>
    public static CallResult Run(Command cmd, bool timing = false, TimeSpan? timeout = null)
    {
        using var child = Spawn.Start(cmd.File, cmd.Args, Environment(cmd), timing);
        return child.Finish(cmd.Stdin, timeout ?? DefaultTimeout);
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
        var environments = cmds.Select(Environment).ToList();
        var t0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < cmds.Count; i++)
        {
            var child = Spawn.Start(cmds[i].File, cmds[i].Args, environments[i], timing);
            var index = i;
            var stdin = cmds[i].Stdin;
            var thread = new Thread(() =>
            {
                using (child)
                {
                    results[index] = child.Finish(stdin, DefaultTimeout);
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

    /// <summary>The harness's environment without OVS_MIRROR_TIMING, with the command's variables set over it.</summary>
    private static List<string> Environment(Command cmd)
    {
        var vars = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
        {
            vars[(string)e.Key] = (string?)e.Value ?? "";
        }

        vars.Remove("OVS_MIRROR_TIMING");
        foreach (var (k, v) in cmd.Env)
        {
            vars[k] = v;
        }

        return vars.Select(kv => kv.Key + "=" + kv.Value).ToList();
    }
}

internal sealed class BenchException(string message) : Exception(message);
