using System.Collections.ObjectModel;

namespace OvsMirror.Cni;

/// <summary>
/// The CNI spec versions this plugin speaks, and which commands each allows
/// (CNI SPEC §Version: CHECK arrived in 0.4.0, STATUS and GC in 1.1.0).
/// </summary>
public static class CniVersion
{
    /// <summary>The newest version supported, used when a request names none (VERSION with empty stdin, early errors).</summary>
    public const string Latest = "1.1.0";

    /// <summary>CNI SPEC 0.4.0 introduced CHECK (and prevResult on DEL).</summary>
    public const string CheckMinimum = "0.4.0";

    /// <summary>CNI SPEC 1.1.0 introduced STATUS and GC.</summary>
    public const string StatusAndGcMinimum = "1.1.0";

    /// <summary>Every supported version, oldest first, as reported by VERSION in <c>supportedVersions</c>.</summary>
    public static ReadOnlyCollection<string> Supported { get; } =
        new(["0.3.0", "0.3.1", "0.4.0", "1.0.0", Latest]);

    /// <summary>True when <paramref name="version"/> is exactly one of <see cref="Supported"/>.</summary>
    public static bool IsSupported(string? version) => version is not null && Supported.Contains(version);

    /// <summary>The oldest version that defines <paramref name="command"/>.</summary>
    public static string MinimumFor(CniCommand command) => command switch
    {
        CniCommand.Check => CheckMinimum,
        CniCommand.Status or CniCommand.Gc => StatusAndGcMinimum,
        _ => Supported[0],
    };

    /// <summary>
    /// Throws code 1 (CNI SPEC §Error: incompatible CNI version) when <paramref name="version"/> is not supported,
    /// or is older than the version that introduced <paramref name="command"/>.
    /// </summary>
    public static void EnsureAllows(string version, CniCommand command)
    {
        if (!IsSupported(version))
        {
            // Don't echo the value: it comes from stdin. A supported one is safe to name, it is one of ours.
            throw new CniException(
                CniErrorCode.IncompatibleCniVersion,
                "the cniVersion of the network configuration is not supported",
                "supported versions: " + string.Join(", ", Supported));
        }

        string minimum = MinimumFor(command);
        if (CniVersionComparer.Instance.Compare(version, minimum) < 0)
        {
            throw new CniException(
                CniErrorCode.IncompatibleCniVersion,
                $"{CniCommandName.Of(command)} requires cniVersion {minimum} or later, but the network configuration has cniVersion {version}");
        }
    }
}
