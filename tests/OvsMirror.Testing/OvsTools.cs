namespace OvsMirror.Testing;

/// <summary>
/// Whether the Open vSwitch tools the rig needs are installed. Tests that need OVS fail loudly
/// when they are missing, unless <c>OVS_MIRROR_ALLOW_NO_OVS=1</c>: then they are skipped
/// (see <see cref="OvsFactAttribute"/>).
/// </summary>
public static class OvsTools
{
    public const string AllowMissingVariable = "OVS_MIRROR_ALLOW_NO_OVS";
    public const string VswitchSchema = "/usr/share/openvswitch/vswitch.ovsschema";
    public const string NorthboundSchema = "/usr/share/ovn/ovn-nb.ovsschema";

    // declared before the Lazy fields below: static initializers run in textual order
    /// <summary>Binaries an <see cref="OvsSandbox"/> with ovs-vswitchd needs.</summary>
    public static IReadOnlyList<string> RequiredTools { get; } =
        ["ovsdb-server", "ovsdb-tool", "ovs-vsctl", "ovs-vswitchd", "ovs-appctl", "ip", "ethtool"];

    private static readonly string[] SystemDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
    private static readonly Lazy<IReadOnlyList<string>> MissingLazy = new(() => FindMissing(RequiredTools, VswitchSchema));
    private static readonly Lazy<IReadOnlyList<string>> MissingNorthboundLazy = new(() => FindMissing(["ovn-nbctl"], NorthboundSchema));

    /// <summary>Missing binaries (and the vswitch schema file) for a full sandbox; empty when all are there.</summary>
    public static IReadOnlyList<string> Missing => MissingLazy.Value;

    /// <summary>Missing pieces for the OVN Northbound database (ovn-nbctl, the NB schema).</summary>
    public static IReadOnlyList<string> MissingNorthbound => MissingNorthboundLazy.Value;

    /// <summary>True when <c>OVS_MIRROR_ALLOW_NO_OVS=1</c>: missing OVS skips tests instead of failing them.</summary>
    public static bool AllowMissing => Environment.GetEnvironmentVariable(AllowMissingVariable) == "1";

    /// <summary>Why OVS sandboxes cannot run here, or null when they can.</summary>
    /// <param name="northbound">Also require the OVN Northbound pieces.</param>
    /// <param name="vswitchd">Require what ovs-vswitchd and host netns need (tools, root); false for an ovsdb-server-only sandbox.</param>
    public static string? UnavailableReason(bool northbound = false, bool vswitchd = true)
    {
        IReadOnlyList<string> missing = vswitchd
            ? Missing
            : [.. Missing.Where(m => m is "ovsdb-server" or "ovsdb-tool" or "ovs-vsctl" or VswitchSchema)];
        missing = northbound ? [.. missing, .. MissingNorthbound] : missing;
        var problems = new List<string>();
        if (missing.Count > 0)
        {
            problems.Add($"OVS not installed: missing {string.Join(", ", missing)}; run hack/test.sh which installs it");
        }

        if (vswitchd && !Environment.IsPrivilegedProcess)
        {
            problems.Add("the OVS sandbox needs root (ip netns, veth)");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>The skip reason for an OVS test: non-null only when OVS is unavailable AND skipping is allowed.</summary>
    public static string? SkipReason(bool northbound = false, bool vswitchd = true) =>
        AllowMissing && UnavailableReason(northbound, vswitchd) is { } reason
            ? $"{reason} ({AllowMissingVariable}=1, so skipped)"
            : null;

    /// <summary>Throws <see cref="InvalidOperationException"/> with a clear message when OVS is unavailable.</summary>
    public static void EnsureAvailable(bool northbound = false, bool vswitchd = true)
    {
        if (UnavailableReason(northbound, vswitchd) is { } reason)
        {
            throw new InvalidOperationException(
                reason + $". (Set {AllowMissingVariable}=1 to skip OVS tests instead of failing them.)");
        }
    }

    /// <summary>The absolute path of <paramref name="tool"/> on PATH or in the sbin directories, or null.</summary>
    public static string? Find(string tool)
    {
        ArgumentException.ThrowIfNullOrEmpty(tool);
        if (tool.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(tool) ? tool : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(SystemDirectories)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The absolute path of <paramref name="tool"/>; throws a clear error when it is not installed.</summary>
    public static string Require(string tool) =>
        Find(tool) ?? throw new InvalidOperationException(
            $"OVS not installed: missing {tool}; run hack/test.sh which installs it");

    private static string[] FindMissing(IEnumerable<string> tools, string schema) =>
        [.. tools.Where(t => Find(t) is null), .. File.Exists(schema) ? Array.Empty<string>() : [schema]];
}
