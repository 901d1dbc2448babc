namespace OvsMirror.Mirroring.Config;

/// <summary>
/// What a NAD lets its pods ask for through cni-args (DESIGN §1: pods are less trusted than admins, so pod-chosen
/// mirrors are honoured only where the NAD opts in, and only for the names and roles it allows).
/// </summary>
internal sealed class PodArgsPolicy
{
    /// <summary>The policy of a NAD that says nothing: pods may not ask for mirrors.</summary>
    public static readonly PodArgsPolicy Closed = new(allowPodArgs: false, allowedMirrors: null, allowedRoles: null);

    public PodArgsPolicy(bool allowPodArgs, IReadOnlyList<string>? allowedMirrors, IReadOnlyList<MirrorRole>? allowedRoles)
    {
        AllowPodArgs = allowPodArgs;
        AllowedMirrors = allowedMirrors;
        AllowedRoles = allowedRoles;
    }

    /// <summary><c>allowPodArgs</c>: whether <c>args.cni.mirrors</c> is honoured at all.</summary>
    public bool AllowPodArgs { get; }

    /// <summary>
    /// <c>allowedPodMirrors</c>: the names a pod may use; an entry ending in <c>*</c> is a prefix pattern
    /// (<c>ids-*</c>). Null means any name.
    /// </summary>
    public IReadOnlyList<string>? AllowedMirrors { get; }

    /// <summary><c>allowedPodRoles</c>: the roles a pod may take. Null means both.</summary>
    public IReadOnlyList<MirrorRole>? AllowedRoles { get; }

    /// <summary>Whether a pod may use the mirror <paramref name="name"/>: an exact entry or a matching prefix pattern.</summary>
    public bool AllowsMirror(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (AllowedMirrors is null)
        {
            return true;
        }

        foreach (string pattern in AllowedMirrors)
        {
            bool match = pattern.EndsWith('*')
                ? name.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
                : string.Equals(name, pattern, StringComparison.Ordinal);
            if (match)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a pod may take <paramref name="role"/>.</summary>
    public bool AllowsRole(MirrorRole role) => AllowedRoles is null || AllowedRoles.Contains(role);
}
