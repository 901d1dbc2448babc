namespace OvsMirror.Install;

/// <summary>
/// How the installer recognises a file as an ovs-mirror binary (any build, any version) before it removes
/// it: every build embeds <see cref="Marker"/>, bytes no other program has. A UTF-8 literal (<c>"..."u8</c>) is
/// emitted as one contiguous blob of read-only data, so the file holds exactly those bytes (a string literal would
/// not do: NativeAOT lays frozen strings out in its own way). The check reads the file; it never runs it.
/// </summary>
internal static class BinaryIdentity
{
    /// <summary>The marker; referenced by <see cref="IsOvsMirrorBinary"/>, so the compiler keeps it in every build.</summary>
    public static ReadOnlySpan<byte> Marker => "ovs-mirror binary identity 7c1e3a52: a chained CNI plugin for Open vSwitch port mirroring"u8;

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
        return bytes.AsSpan().IndexOf(Marker) >= 0;
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
