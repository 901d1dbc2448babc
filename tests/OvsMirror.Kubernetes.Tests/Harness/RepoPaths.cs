namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>Where the suite's inputs live: the repository (examples, hack/k8s) and the peer sources.</summary>
internal static class RepoPaths
{
    /// <summary>The variable that names the peer sources' directory (relative paths: from the repository root).</summary>
    public const string PeersVariable = "OVS_MIRROR_PEERS";

    /// <summary>What hack/k8s/build needs from the peers' directory.</summary>
    public static readonly IReadOnlyList<string> PeerFiles = ["multus-cni-4.0.2.tar.gz", "ovs-cni-0.34.0.tar.gz", "SHA256SUMS"];

    private static readonly Lazy<string> RootLazy = new(FindRoot);

    public static string Root => RootLazy.Value;

    public static string Example(string fileName) => Path.Combine(Root, "cni-conf-examples", fileName);

    public static string KubernetesScript(string name) => Path.Combine(Root, "hack", "k8s", name);

    /// <summary>The second build's image (hack/build.sh --upgrade-peer, which hack/test.sh runs): the rolling update's target.</summary>
    public static string UpgradePeerImageDirectory => Path.Combine(Root, "artifacts", "upgrade-peer", "image");

    /// <summary>The second build itself (hack/build.sh --upgrade-peer).</summary>
    public static string UpgradePeerBinary => Path.Combine(Root, "artifacts", "upgrade-peer", "ovs-mirror");

    public static string PeersDirectory
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable(PeersVariable);
            dir = string.IsNullOrEmpty(dir) ? "../shared/peers" : dir;
            return Path.GetFullPath(dir, Root);
        }
    }

    /// <summary>The first peer file that is missing, or null when all are there.</summary>
    public static string? MissingPeerFile() =>
        PeerFiles.Select(f => Path.Combine(PeersDirectory, f)).FirstOrDefault(f => !File.Exists(f));

    private static string FindRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "ovs-mirror.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException($"no ovs-mirror.sln above {AppContext.BaseDirectory}");
    }
}
