using OvsMirror.Testing;

namespace OvsMirror.Tests.Binary;

/// <summary>The NativeAOT binary hack/build.sh publishes, and the ovs-cni names symlinked to it.</summary>
internal static class PublishedBinary
{
    public static string Directory { get; } = Path.Combine(RepoRoot(), "artifacts", "bin");

    public static string PathOf(string name = "ovs-mirror")
    {
        var path = Path.Combine(Directory, name);
        File.Exists(path).Should().BeTrue($"{path} must exist: run hack/build.sh first (hack/test.sh does)");
        return path;
    }

    /// <summary>The CNI_* variables kubelet's runtime sets for a call of the plugin (CNI SPEC §Parameters).</summary>
    public static Dictionary<string, string> CniEnv(string command, string containerId = "c1") => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = "/var/run/netns/pod",
        ["CNI_IFNAME"] = "eth1",
        ["CNI_PATH"] = "/opt/cni/bin",
    };

    public static Task<ProcessResult> RunAsync(string name, IReadOnlyDictionary<string, string> env, string stdin, params string[] args) =>
        ProcessRunner.RunAsync(PathOf(name), args, TimeSpan.FromSeconds(30), env, stdin);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ovs-mirror.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ovs-mirror.sln not found above " + AppContext.BaseDirectory);
    }
}
