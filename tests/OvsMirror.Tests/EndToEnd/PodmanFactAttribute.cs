using OvsMirror.Testing;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// An OVS test that also needs podman with its CNI backend: podman, conmon, runc and a static busybox
/// (Debian 12: <c>apt-get install podman runc conmon busybox-static</c>). Skipped, with the reason, when any is
/// missing; like <see cref="OvsFactAttribute"/> otherwise.
/// </summary>
public sealed class PodmanFactAttribute : FactAttribute
{
    public const string StaticBusybox = "/bin/busybox";

    public PodmanFactAttribute()
    {
        if (OvsTools.SkipReason() is { } ovs)
        {
            Skip = ovs;
        }
        else if (MissingReason() is { } podman)
        {
            Skip = podman;
        }
    }

    public static string? MissingReason()
    {
        var missing = new[] { "podman", "conmon", "runc" }.Where(t => OvsTools.Find(t) is null).ToList();
        if (!File.Exists(StaticBusybox) || IsDynamic(StaticBusybox))
        {
            missing.Add("a static " + StaticBusybox);
        }

        return missing.Count == 0
            ? null
            : $"podman scenario skipped: missing {string.Join(", ", missing)} (apt-get install podman runc conmon busybox-static)";
    }

    /// <summary>A dynamically linked ELF names its loader (PT_INTERP) near the start of the file.</summary>
    private static bool IsDynamic(string path)
    {
        var head = new byte[4096];
        using var f = File.OpenRead(path);
        var n = f.Read(head);
        return System.Text.Encoding.ASCII.GetString(head, 0, n).Contains("/ld-linux", StringComparison.Ordinal);
    }
}
