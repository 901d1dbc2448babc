using System.Text.Json.Nodes;

namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>A pod as the API server reports it: identity, phase, readiness, and Multus' network status.</summary>
public sealed record ClusterPod(
    string Name,
    string Namespace,
    string Uid,
    string? App,
    string Phase,
    bool Ready,
    bool Terminating,
    IReadOnlyList<PodAttachment> Attachments)
{
    public const string NetworkStatusAnnotation = "k8s.v1.cni.cncf.io/network-status";

    public PodAttachment Attachment(string interfaceName) =>
        Attachments.FirstOrDefault(a => a.Interface == interfaceName)
        ?? throw new InvalidOperationException(
            $"pod {Name} has no attachment {interfaceName} in {NetworkStatusAnnotation} ({string.Join(", ", Attachments.Select(a => a.Interface))})");

    public static ClusterPod FromJson(JsonNode pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var metadata = pod["metadata"]!;
        var status = pod["status"];
        var ready = status?["conditions"]?.AsArray()
            .Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True") ?? false;
        var attachments = new List<PodAttachment>();
        if (metadata["annotations"]?[NetworkStatusAnnotation]?.GetValue<string>() is { } networkStatus)
        {
            foreach (var a in JsonNode.Parse(networkStatus)?.AsArray() ?? [])
            {
                attachments.Add(new PodAttachment(
                    a!["name"]?.GetValue<string>() ?? string.Empty,
                    a["interface"]?.GetValue<string>() ?? string.Empty,
                    [.. (a["ips"]?.AsArray() ?? []).Select(ip => ip!.GetValue<string>())],
                    a["mac"]?.GetValue<string>()));
            }
        }

        return new ClusterPod(
            metadata["name"]!.GetValue<string>(),
            metadata["namespace"]!.GetValue<string>(),
            metadata["uid"]!.GetValue<string>(),
            metadata["labels"]?[ManifestAdapter.AppLabel]?.GetValue<string>(),
            status?["phase"]?.GetValue<string>() ?? "Unknown",
            ready,
            metadata["deletionTimestamp"] is not null,
            attachments);
    }
}
