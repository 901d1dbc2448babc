using System.Globalization;

namespace OvsMirror.Cni;

/// <summary>
/// Orders CNI versions as Semantic Versions (CNI SPEC §Configuration format: <c>cniVersion</c> is SemVer 2.0)
/// by major, minor and patch. Strings that are not <c>MAJOR.MINOR.PATCH</c> sort before all valid ones, ordinally among themselves.
/// </summary>
public sealed class CniVersionComparer : IComparer<string>
{
    private CniVersionComparer()
    {
    }

    /// <summary>The one instance; it holds no state.</summary>
    public static CniVersionComparer Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        bool xValid = TryParse(x, out var xv);
        bool yValid = TryParse(y, out var yv);
        if (xValid && yValid)
        {
            return xv.CompareTo(yv);
        }

        if (xValid != yValid)
        {
            return xValid ? 1 : -1;
        }

        return string.CompareOrdinal(x, y);
    }

    /// <summary>Parses <c>MAJOR.MINOR.PATCH</c> of non-negative decimal integers (no pre-release or build suffix).</summary>
    public static bool TryParse(string? version, out (int Major, int Minor, int Patch) parsed)
    {
        parsed = default;
        if (string.IsNullOrEmpty(version))
        {
            return false;
        }

        ReadOnlySpan<char> rest = version;
        Span<int> parts = stackalloc int[3];
        for (int i = 0; i < 3; i++)
        {
            int dot = rest.IndexOf('.');
            ReadOnlySpan<char> part = i < 2 ? (dot < 0 ? [] : rest[..dot]) : rest;
            if (part.IsEmpty || !IsDigits(part)
                || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out parts[i]))
            {
                return false;
            }

            rest = i < 2 ? rest[(dot + 1)..] : [];
        }

        parsed = (parts[0], parts[1], parts[2]);
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
