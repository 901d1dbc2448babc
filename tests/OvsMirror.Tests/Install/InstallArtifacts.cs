using OvsMirror.Testing;
using OvsMirror.Tests.EndToEnd;

namespace OvsMirror.Tests.Install;

/// <summary>What hack/build.sh produces for installing: the release binary, a second build to upgrade to, the image, the sysroot.</summary>
internal static class InstallArtifacts
{
    /// <summary>The release binary (hack/build.sh), linked against the Debian 11 sysroot.</summary>
    public static string Binary => Require(RepoPaths.OvsMirror, "run hack/build.sh");

    /// <summary>The same sources with another informational version (hack/build.sh --upgrade-peer; hack/test.sh asks for it).</summary>
    public static string UpgradePeer => Require(Path.Combine(RepoPaths.Root, "artifacts", "upgrade-peer", "ovs-mirror"), "run hack/build.sh --upgrade-peer");

    /// <summary>artifacts/image/image.env of hack/image.sh (KEY=VALUE lines).</summary>
    public static IReadOnlyDictionary<string, string> ImageEnv => File.ReadAllLines(Require(Path.Combine(RepoPaths.Root, "artifacts", "image", "image.env"), "run hack/build.sh (it runs hack/image.sh)"))
        .Where(l => l.Contains('=', StringComparison.Ordinal))
        .Select(l => l.Split('=', 2))
        .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    /// <summary>The cached Debian 11 sysroot (hack/sysroot.sh prints it; cached after hack/build.sh, so this is quick).</summary>
    public static async Task<string> SysrootAsync()
    {
        var run = await ProcessRunner.RunCheckedAsync(Path.Combine(RepoPaths.Root, "hack", "sysroot.sh"), [], TimeSpan.FromMinutes(5));
        return run.StandardOutput.Trim();
    }

    /// <summary>The "build: ..." line of <c>BINARY version</c>: which build a file is.</summary>
    public static async Task<string> BuildOfAsync(string binary)
    {
        var run = await ProcessRunner.RunCheckedAsync(binary, ["version"], TimeSpan.FromSeconds(30));
        return run.StandardOutput.Split('\n').Single(l => l.StartsWith("build: ", StringComparison.Ordinal))["build: ".Length..];
    }

    private static string Require(string path, string hint) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: {hint}");
}
