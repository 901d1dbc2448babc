namespace OvsMirror.Tests.EndToEnd;

/// <summary>A "pod": a network namespace created by the test (its infra container), named <c>{sandbox prefix}{Name}</c>.</summary>
internal sealed record Pod(string Name, string Netns, string ContainerId)
{
    public string NetnsPath => "/var/run/netns/" + Netns;
}
