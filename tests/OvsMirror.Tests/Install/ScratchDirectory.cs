namespace OvsMirror.Tests.Install;

/// <summary>A fresh temp directory per test, removed on dispose (tests run in parallel: nothing is shared).</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory() => Path = Directory.CreateTempSubdirectory("ovs-mirror-install-test.").FullName;

    public string Path { get; }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a stand-in for an ovs-mirror build: it carries the identity marker, and <paramref name="build"/> makes it differ.</summary>
    public string WriteFakeBuild(string name, string build)
    {
        var path = this[name];
        File.WriteAllBytes(path, [.. OvsMirror.Install.BinaryIdentity.Marker, .. System.Text.Encoding.UTF8.GetBytes(build)]);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
