using System.Text;

namespace OvsMirror.Cni;

/// <summary>The syntax the CNI spec gives container IDs, interface names and network names.</summary>
public static class CniIdentifierRules
{
    /// <summary>Linux IFNAMSIZ (16) minus the terminating NUL.</summary>
    public const int MaxInterfaceNameBytes = 15;

    /// <summary>
    /// CNI SPEC §Parameters (CNI_CONTAINERID): must not be empty, must start with an alphanumeric character,
    /// optionally followed by any combination of alphanumerics, underscore, dot or hyphen.
    /// </summary>
    public static bool IsValidContainerId(string? value) => IsAlphanumericThenNameChars(value);

    /// <summary>
    /// CNI SPEC §Configuration format (<c>name</c>): same alphabet as a container ID
    /// (starts alphanumeric, then alphanumerics, underscore, dot or hyphen).
    /// </summary>
    public static bool IsValidNetworkName(string? value) => IsAlphanumericThenNameChars(value);

    /// <summary>
    /// CNI SPEC §Parameters (CNI_IFNAME) and the Linux rules skel enforces: not empty, at most 15 bytes,
    /// not "." or "..", and no '/', ':' or whitespace.
    /// </summary>
    public static bool IsValidInterfaceName(string? value)
    {
        if (string.IsNullOrEmpty(value) || value is "." or ".."
            || Encoding.UTF8.GetByteCount(value) > MaxInterfaceNameBytes)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is '/' or ':' || char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAlphanumericThenNameChars(string? value)
    {
        if (string.IsNullOrEmpty(value) || !char.IsAsciiLetterOrDigit(value[0]))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
