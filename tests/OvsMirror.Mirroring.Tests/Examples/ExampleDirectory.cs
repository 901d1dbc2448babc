namespace OvsMirror.Mirroring.Tests.Examples;

/// <summary>The repository's cni-conf-examples directory, found by walking up to the directory of ovs-mirror.sln.</summary>
internal static class ExampleDirectory
{
    public const string ReadmeName = "README.md";

    public static string Path { get; } = Find();

    public static string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The example files (all but README.md), by name, sorted.</summary>
    public static IReadOnlyList<string> Files(string? suffix = null) =>
        Directory.EnumerateFiles(Path)
            .Select(f => System.IO.Path.GetFileName(f))
            .Where(n => n != ReadmeName && (suffix is null || n.EndsWith(suffix, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "ovs-mirror.sln")))
            {
                return System.IO.Path.Combine(dir.FullName, "cni-conf-examples");
            }
        }

        throw new DirectoryNotFoundException($"no ovs-mirror.sln above {AppContext.BaseDirectory}");
    }
}
