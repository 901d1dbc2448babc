namespace OvsMirror.Tests.EndToEnd;

/// <summary>Where the things the end-to-end tests run live in the repository.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    public static string Root => RootLazy.Value;

    /// <summary>The NativeAOT plugin (hack/build.sh).</summary>
    public static string OvsMirror => Path.Combine(Root, "artifacts", "bin", "ovs-mirror");

    /// <summary>The libcni runtime stand-in (hack/cnidriver/build.sh).</summary>
    public static string CniDriver => Path.Combine(Root, "artifacts", "bin", "cnidriver");

    /// <summary>Our stand-in for ovs-cni's <c>ovs</c> plugin.</summary>
    public static string OvsAttach => Path.Combine(Root, "hack", "ovs-attach");

    public static string Example(string fileName) => Path.Combine(Root, "cni-conf-examples", fileName);

    /// <summary>Throws a clear error when a binary the tests need is not built.</summary>
    public static void EnsureBuilt()
    {
        if (!File.Exists(OvsMirror))
        {
            throw new InvalidOperationException($"{OvsMirror} is missing: run hack/build.sh");
        }

        if (!File.Exists(CniDriver))
        {
            throw new InvalidOperationException(
                $"{CniDriver} is missing: run hack/cnidriver/build.sh (needs apt-get install golang-go golang-github-appc-cni-dev)");
        }
    }

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
