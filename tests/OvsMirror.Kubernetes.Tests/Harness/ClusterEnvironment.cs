using OvsMirror.Testing;

namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>The running cluster's variables, as <c>hack/k8s/env</c> prints them (<c>export KEY=VALUE</c>).</summary>
public sealed class ClusterEnvironment
{
    public const string RequiredVariable = "OVS_MIRROR_K8S_REQUIRED";

    private readonly IReadOnlyDictionary<string, string> values;

    private ClusterEnvironment(IReadOnlyDictionary<string, string> values) => this.values = values;

    public string Kubeconfig => this["KUBECONFIG"];

    public string StateDirectory => this["OVS_MIRROR_K8S_STATE"];

    /// <summary>The private OVSDB, as <c>unix:PATH</c>: what the NADs get as <c>socket_file</c>.</summary>
    public string Ovsdb => this["OVS_MIRROR_K8S_OVSDB"];

    public string ContainerdSocket => this["OVS_MIRROR_K8S_CONTAINERD"];

    public string IpamDirectory => this["OVS_MIRROR_K8S_IPAM_DIR"];

    public string Bridge => this["OVS_MIRROR_K8S_BRIDGE"];

    public string LogDirectory => this["OVS_MIRROR_K8S_LOGS"];

    /// <summary>containerd's CNI bin dir (a temp dir, not /opt/cni/bin): where the DaemonSet installs ovs-mirror.</summary>
    public string CniBinDirectory => this["OVS_MIRROR_K8S_CNI_BIN"];

    /// <summary>The hack/image.sh output that <c>hack/k8s/up</c> installed through the DaemonSet (hack/k8s/deploy).</summary>
    public string ImageDirectory => this["OVS_MIRROR_K8S_IMAGE_DIR"];

    public string this[string key] =>
        values.TryGetValue(key, out var v) ? v : throw new InvalidOperationException($"hack/k8s/env did not print {key}");

    /// <summary>Why the Kubernetes tests cannot run here, or null when they can.</summary>
    public static string? SkipReason()
    {
        if (RepoPaths.MissingPeerFile() is { } missing)
        {
            return $"peer source missing: {missing} (set {RepoPaths.PeersVariable}); the Kubernetes rig needs Multus and ovs-cni";
        }

        if (Environment.GetEnvironmentVariable(RequiredVariable) != "1" && !IsUp())
        {
            return $"no cluster is up: run hack/k8s/up (or hack/test.sh, which brings it up and sets {RequiredVariable}=1)";
        }

        return null;
    }

    public static async Task<ClusterEnvironment> LoadAsync()
    {
        var r = await ProcessRunner.RunAsync(RepoPaths.KubernetesScript("env"), [], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (!r.Succeeded)
        {
            throw new InvalidOperationException($"hack/k8s/env failed (is the cluster up? run hack/k8s/up): {r.StandardError.Trim()}");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            const string Prefix = "export ";
            var kv = line.StartsWith(Prefix, StringComparison.Ordinal) ? line[Prefix.Length..] : line;
            var eq = kv.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[kv[..eq]] = kv[(eq + 1)..].Trim('\'');
            }
        }

        return new ClusterEnvironment(values);
    }

    private static bool IsUp()
    {
        var pointer = Path.Combine(RepoPaths.Root, "artifacts", "k8s", "state-dir");
        if (!File.Exists(pointer))
        {
            return false;
        }

        var dir = File.ReadAllText(pointer).Trim();
        return File.Exists(Path.Combine(dir, "env"));
    }
}
