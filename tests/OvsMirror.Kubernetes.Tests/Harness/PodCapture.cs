using System.Diagnostics;
using System.Globalization;
using OvsMirror.Testing;

namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>
/// tcpdump on one interface inside a pod's network namespace (entered from the host by the sandbox's PID,
/// <c>nsenter -t PID -n</c>), written to a pcap file with <c>-U</c> so every frame is in the file at once.
/// Frames are read back with <c>tcpdump -r -e</c>; IPv6 (the host's MLD reports reach the pod directly on the
/// veth, never through OVS) is set apart, not counted.
/// </summary>
public sealed class PodCapture : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private readonly Process tcpdump;
    private readonly Task<string> stderr;
    private bool disposed;

    private PodCapture(string name, string file, Process tcpdump, Task<string> stderr)
    {
        Name = name;
        File = file;
        this.tcpdump = tcpdump;
        this.stderr = stderr;
    }

    public string Name { get; }

    public string File { get; }

    public static async Task<PodCapture> StartAsync(string name, Sandbox sandbox, string interfaceName, string file)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        var psi = new ProcessStartInfo("nsenter")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "-t", sandbox.Pid.ToString(CultureInfo.InvariantCulture), "-n",
            "tcpdump", "-i", interfaceName, "-nn", "-U", "--immediate-mode", "-s", "256", "-w", file,
        })
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start nsenter tcpdump");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = Task.Run(async () =>
        {
            var all = new System.Text.StringBuilder();
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                all.AppendLine(line);
                if (line.Contains("listening on", StringComparison.Ordinal))
                {
                    ready.TrySetResult();
                }
            }

            ready.TrySetException(new InvalidOperationException($"tcpdump in {name} exited: {all}"));
            return all.ToString();
        });
        _ = process.StandardOutput.ReadToEndAsync();
        try
        {
            // printed once the capture socket is bound: nothing sent afterwards is missed
            await ready.Task.WaitAsync(ReadyTimeout).ConfigureAwait(false);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }

        return new PodCapture(name, file, process, stderr);
    }

    /// <summary>The frames captured so far, IPv6 excluded.</summary>
    public async Task<IReadOnlyList<CapturedFrame>> FramesAsync()
    {
        if (!System.IO.File.Exists(File) || new FileInfo(File).Length == 0)
        {
            return [];
        }

        var r = await ProcessRunner.RunAsync("tcpdump", ["-r", File, "-tt", "-nn", "-e"], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return [.. r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(CapturedFrame.Parse).Where(f => !f.IsIPv6)];
    }

    /// <summary>Polls the capture until <paramref name="done"/> holds or <paramref name="timeout"/> passes; returns the frames either way.</summary>
    public async Task<IReadOnlyList<CapturedFrame>> WaitUntilAsync(Func<IReadOnlyList<CapturedFrame>, bool> done, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(done);
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var frames = await FramesAsync().ConfigureAwait(false);
            if (done(frames) || sw.Elapsed >= timeout)
            {
                return frames;
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Kill(tcpdump);
        await tcpdump.WaitForExitAsync().ConfigureAwait(false);
        await stderr.ConfigureAwait(false);
        tcpdump.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
