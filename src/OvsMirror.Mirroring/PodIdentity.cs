namespace OvsMirror.Mirroring;

/// <summary>
/// Who the pod is, from CNI_ARGS (<c>K8S_POD_NAMESPACE</c>, <c>K8S_POD_NAME</c>, <c>K8S_POD_UID</c>, as kubelet's
/// runtimes and Multus set them), recorded with each attachment so an operator can tell which pod feeds a mirror.
/// </summary>
internal sealed record PodIdentity(string Namespace, string Name, string? Uid)
{
    public const string NamespaceArg = "K8S_POD_NAMESPACE";
    public const string NameArg = "K8S_POD_NAME";
    public const string UidArg = "K8S_POD_UID";

    /// <summary>
    /// The pod CNI_ARGS names, or null when it names none. Values that could not be stored in a record (a ';' or '/'
    /// which a Kubernetes name cannot hold anyway) are left out rather than refused: the identity is informative.
    /// </summary>
    public static PodIdentity? FromCniArgs(IReadOnlyDictionary<string, string> cniArgs)
    {
        ArgumentNullException.ThrowIfNull(cniArgs);
        var ns = cniArgs.GetValueOrDefault(NamespaceArg);
        var name = cniArgs.GetValueOrDefault(NameArg);
        if (!Storable(ns) || !Storable(name))
        {
            return null;
        }

        var uid = cniArgs.GetValueOrDefault(UidArg);
        return new PodIdentity(ns!, name!, Storable(uid) ? uid : null);
    }

    /// <summary>"namespace/name", as kubectl names a pod.</summary>
    public override string ToString() => Namespace + "/" + Name;

    /// <summary>Reads "namespace/name" (and the uid field) back from a record; null when malformed.</summary>
    public static PodIdentity? TryParse(string? pod, string? uid)
    {
        if (pod is null)
        {
            return null;
        }

        var slash = pod.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 || slash == pod.Length - 1
            ? null
            : new PodIdentity(pod[..slash], pod[(slash + 1)..], string.IsNullOrEmpty(uid) ? null : uid);
    }

    private static bool Storable(string? value) =>
        !string.IsNullOrEmpty(value) && value.AsSpan().IndexOfAny(';', '/', '=') < 0 && !value.Any(char.IsControl);
}
