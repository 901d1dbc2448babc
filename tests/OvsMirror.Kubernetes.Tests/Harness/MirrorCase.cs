namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>
/// A case the suite applies: an example YAML (NADs and Deployments), the VLANs on which the harness adds its own
/// peer pods (the producers ping them; they ping each other as unmirrored traffic), the mirrors it must yield,
/// and the Deployments whose pods must NOT start (their ADD is refused).
/// </summary>
public sealed record MirrorCase(
    string Name,
    string ExampleFile,
    IReadOnlyList<int> PeerVlans,
    IReadOnlyList<ExpectedMirror> Mirrors,
    IReadOnlyList<string>? RefusedApps = null)
{
    public IReadOnlyList<string> RefusedAppsOrEmpty => RefusedApps ?? [];

    public override string ToString() => Name;
}
