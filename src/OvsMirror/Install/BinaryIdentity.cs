using System.Text;

namespace OvsMirror.Install;

/// <summary>
/// How the installer recognises a file as an ovs-mirror binary (any build, any version) before it removes
/// it: every build embeds <see cref="Marker"/>, a string no other program has. NativeAOT stores string
/// literals as UTF-16, so the file must contain that byte sequence. The check reads the file; it never runs it.
/// </summary>
internal static class BinaryIdentity
{
    /// <summary>The marker; referenced by <see cref="IsOvsMirrorBinary"/>, so the compiler keeps it in every build.</summary>
    public const string Marker = "ovs-mirror binary identity 7c1e3a52: a chained CNI plugin for Open vSwitch port mirroring";

    private static readonly byte[] MarkerBytes = Encoding.Unicode.GetBytes(Marker);

    /// <summary>True when <paramref name="path"/> is a regular file (not a link) that holds the marker.</summary>
    public static bool IsOvsMirrorBinary(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null)
        {
            return false;
        }

        // The binary is a few MiB: reading it whole is simpler than a streaming search and fast enough for an install.
        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().IndexOf(MarkerBytes) >= 0;
    }

    /// <summary>True when both files exist and hold the same bytes.</summary>
    public static bool SameContent(string a, string b)
    {
        var fa = new FileInfo(a);
        var fb = new FileInfo(b);
        if (!fa.Exists || !fb.Exists || fa.Length != fb.Length)
        {
            return false;
        }

        return File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));
    }
}
