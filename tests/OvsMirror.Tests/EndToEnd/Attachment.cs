using System.Text.Json.Nodes;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// One network attachment of a pod, as the runtime made it (<c>cnidriver add</c>): the conflist that was run,
/// the cni-args file of the pod's network selection element, and the ADD result.
/// </summary>
internal sealed record Attachment(Pod Pod, string IfName, string Conflist, string? CniArgs, string? Address, JsonObject Result)
{
    /// <summary>The OVS port: the result's interface without "sandbox" (what ovs-mirror mirrors).</summary>
    public string HostInterface =>
        Result["interfaces"]!.AsArray().OfType<JsonObject>().First(i => i["sandbox"] is null)["name"]!.GetValue<string>();

    /// <summary>The pod's address without the prefix length, or null.</summary>
    public string? Ip => Address?.Split('/')[0];

    public override string ToString() => $"{Pod.Name}/{IfName} ({Path.GetFileName(Conflist)})";
}
