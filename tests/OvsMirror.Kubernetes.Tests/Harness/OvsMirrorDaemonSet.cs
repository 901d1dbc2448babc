using System.Diagnostics;
using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>
/// deploy/ovs-mirror.yaml's DaemonSet on the rig: installed by <c>hack/k8s/deploy</c> (image import, the manifest
/// with the rig's CNI bin dir as its hostPath, rollout, checks), observed through kubectl.
/// </summary>
public sealed class OvsMirrorDaemonSet(Kubectl kubectl)
{
    public const string Namespace = "kube-system";
    public const string Name = "ovs-mirror";
    public const string Selector = "app.kubernetes.io/name=ovs-mirror";
    private static readonly TimeSpan DeployTimeout = TimeSpan.FromMinutes(4);

    /// <summary>Runs hack/k8s/deploy for an image directory (blocks until rolled out and checked); returns its stdout line and duration.</summary>
    public static async Task<(string Line, TimeSpan Took)> DeployAsync(string imageDirectory)
    {
        var sw = Stopwatch.StartNew();
        var r = await ProcessRunner.RunAsync(RepoPaths.KubernetesScript("deploy"), [imageDirectory], DeployTimeout).ConfigureAwait(false);
        if (!r.Succeeded)
        {
            throw new InvalidOperationException($"hack/k8s/deploy {imageDirectory} failed (exit {r.ExitCode}):\n{r.StandardError}");
        }

        return (r.StandardOutput.Trim(), sw.Elapsed);
    }

    /// <summary>The DaemonSet object, or null when there is none.</summary>
    public async Task<JsonNode?> GetAsync()
    {
        var r = await kubectl.RunAsync(["-n", Namespace, "get", "daemonset", Name, "-o", "json", "--ignore-not-found"]).ConfigureAwait(false);
        r.EnsureSuccess();
        return string.IsNullOrWhiteSpace(r.StandardOutput) ? null : JsonNode.Parse(r.StandardOutput);
    }

    /// <summary>The DaemonSet's pods (terminating ones included: see <c>metadata.deletionTimestamp</c>).</summary>
    public async Task<IReadOnlyList<JsonNode>> PodsAsync()
    {
        var list = await kubectl.GetJsonAsync("-n", Namespace, "get", "pods", "-l", Selector).ConfigureAwait(false);
        return [.. (list["items"]?.AsArray() ?? []).Select(p => p!)];
    }

    /// <summary>
    /// What the pod's install container printed, from kubelet's log file on the node (<c>kubectl logs</c> needs the API
    /// server to reach kubelet, which the rig's node does not offer: its status lists no address). CRI log lines are
    /// <c>TIME STREAM TAG TEXT</c>; the text is returned, one line each.
    /// </summary>
    public static string InstallLog(JsonNode pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var metadata = pod["metadata"]!;
        var file = Path.Combine("/var/log/pods", $"{Namespace}_{metadata["name"]}_{metadata["uid"]}", "install", "0.log");
        return string.Join('\n', File.ReadAllLines(file).Select(l => l.Split(' ', 4) is { Length: 4 } f ? f[3] : l));
    }
}
