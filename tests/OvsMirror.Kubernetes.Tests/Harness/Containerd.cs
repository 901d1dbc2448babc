using System.Globalization;
using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>The rig's containerd, through <c>ctr</c> (namespace k8s.io): where a pod's sandbox runs.</summary>
public sealed class Containerd(string socket)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The running sandbox of the pod with this UID, or null when it has none (yet, or any more).</summary>
    public async Task<Sandbox?> RunningSandboxAsync(string podUid)
    {
        var ids = (await CtrAsync(
                "containers", "ls", "-q",
                $"labels.\"io.kubernetes.pod.uid\"=={podUid},labels.\"io.cri-containerd.kind\"==sandbox").ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return null;
        }

        foreach (var (id, pid) in await RunningTasksAsync().ConfigureAwait(false))
        {
            if (ids.Contains(id))
            {
                var info = JsonNode.Parse(await CtrAsync("containers", "info", id).ConfigureAwait(false));
                var netns = info?["Spec"]?["linux"]?["namespaces"]?.AsArray()
                    .FirstOrDefault(n => n?["type"]?.GetValue<string>() == "network")?["path"]?.GetValue<string>()
                    ?? throw new InvalidOperationException($"sandbox {id} has no network namespace path in its spec");
                return new Sandbox(id, pid, netns);
            }
        }

        return null;
    }

    /// <summary><c>ctr tasks ls</c>: the RUNNING tasks' container IDs and PIDs.</summary>
    public async Task<IReadOnlyList<(string Id, int Pid)>> RunningTasksAsync()
    {
        var tasks = new List<(string, int)>();
        foreach (var line in (await CtrAsync("tasks", "ls").ConfigureAwait(false)).Split('\n').Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 3 && f[2] == "RUNNING" && int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                tasks.Add((f[0], pid));
            }
        }

        return tasks;
    }

    private async Task<string> CtrAsync(params string[] arguments)
    {
        var r = await ProcessRunner.RunCheckedAsync("ctr", ["--address", socket, "-n", "k8s.io", .. arguments], Timeout)
            .ConfigureAwait(false);
        return r.StandardOutput;
    }
}
