using System.Diagnostics;
using OvsMirror.Testing;

namespace OvsMirror.Tests.Install;

/// <summary>
/// A containerd of our own (not the node's, not the k8s harness's): root, state and sockets in a scratch directory,
/// the CRI plugin disabled (no kubelet here), our child process, stopped by PID. For <c>ctr images import</c>.
/// </summary>
internal sealed class PrivateContainerd : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process process;

    private PrivateContainerd(string dir, Process process)
    {
        Socket = Path.Combine(dir, "containerd.sock");
        this.process = process;
    }

    public string Socket { get; }

    public static bool Available => OvsTools.Find("containerd") is not null && OvsTools.Find("ctr") is not null;

    public static async Task<PrivateContainerd> StartAsync(string dir)
    {
        var config = Path.Combine(dir, "config.toml");
        await File.WriteAllTextAsync(config, $"""
            version = 2
            root = "{Path.Combine(dir, "root")}"
            state = "{Path.Combine(dir, "state")}"
            disabled_plugins = ["io.containerd.grpc.v1.cri"]
            [grpc]
              address = "{Path.Combine(dir, "containerd.sock")}"
            [ttrpc]
              address = "{Path.Combine(dir, "containerd.sock.ttrpc")}"
            [debug]
              address = ""
            [metrics]
              address = ""
            """);
        var psi = new ProcessStartInfo(OvsTools.Require("containerd")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("--config");
        psi.ArgumentList.Add(config);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start containerd");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var containerd = new PrivateContainerd(dir, process);
        using var cts = new CancellationTokenSource(StartTimeout);
        while (!(await containerd.CtrAsync("version")).Succeeded)
        {
            if (process.HasExited || cts.IsCancellationRequested)
            {
                await containerd.DisposeAsync();
                throw new InvalidOperationException($"containerd did not answer within {StartTimeout.TotalSeconds} s (exit: {(process.HasExited ? process.ExitCode : "running")})");
            }

            await Task.Delay(100, CancellationToken.None);   // polling the condition "ctr version answers"
        }

        return containerd;
    }

    public Task<ProcessResult> CtrAsync(params string[] args) =>
        ProcessRunner.RunAsync(OvsTools.Require("ctr"), ["--address", Socket, .. args], TimeSpan.FromSeconds(120));

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();   // our own child, by its PID
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }
}
