using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace OvsMirror.Faults.Tests;

/// <summary>
/// The published NativeAOT binary (artifacts/bin/ovs-mirror, built by hack/build.sh) as kubelet runs it: a separate
/// process with real stdio, which a test may SIGKILL at any point (<see cref="Run"/>'s <c>killAfter</c>).
/// </summary>
internal static class BinaryPlugin
{
    public static string PathOf()
    {
        var path = Path.Combine(FaultFigures.RepoRoot(), "artifacts", "bin", "ovs-mirror");
        File.Exists(path).Should().BeTrue($"{path} must exist: run hack/build.sh first (hack/test.sh does)");
        return path;
    }

    /// <summary>Runs one CNI command; with <paramref name="killAfter"/>, SIGKILLs it that long after start (after <paramref name="started"/> returned) unless it has exited.</summary>
    /// <param name="started">Called right after the process started (e.g. to resume a paused server).</param>
    public static FaultRun Run(string command, JsonObject config, string containerId, TimeSpan? killAfter = null, Action? started = null)
    {
        var psi = new ProcessStartInfo(PathOf())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in FaultPlugin.Environment(command, containerId))
        {
            psi.Environment[k] = v;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start ovs-mirror");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(config.ToJsonString());
        process.StandardInput.Close();
        started?.Invoke();
        var killed = false;
        if (killAfter is { } delay)
        {
            var until = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < until && !process.HasExited)
            {
                Thread.SpinWait(20);
            }

            if (!process.HasExited)
            {
                process.Kill();
                killed = true;
            }
        }

        process.WaitForExit(60_000).Should().BeTrue("the plugin should end within its timeoutMs");
        process.WaitForExit();
        return new FaultRun($"{command} {containerId}", process.ExitCode, stdout.Result, stderr.Result, clock.Elapsed,
            Killed: killed && process.ExitCode == 128 + 9);
    }
}
