using System.Text.Json.Nodes;
using OvsMirror.Cni;

namespace OvsMirror.Mirroring;

/// <summary>
/// The OVS port of an attachment: the host-side interface of prevResult, which is the one without a
/// "sandbox" (CNI SPEC §Result "interfaces": sandbox is set only for interfaces inside a container).
/// </summary>
internal static class HostInterface
{
    public static string Find(JsonObject prevResult)
    {
        if (prevResult["interfaces"] is not JsonArray interfaces)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                "prevResult.interfaces is missing; ovs-mirror must be chained after a plugin that creates the OVS port");
        }

        return FirstHostSide(interfaces) ?? throw new CniException(CniErrorCode.InvalidNetworkConfig,
            "prevResult.interfaces has no host-side interface (one without \"sandbox\") to mirror");
    }

    /// <summary>DEL: the host interface when prevResult names one; null otherwise (a DEL never fails for its prevResult).</summary>
    public static string? TryFind(JsonObject? prevResult) =>
        prevResult?["interfaces"] is JsonArray interfaces ? FirstHostSide(interfaces) : null;

    private static string? FirstHostSide(JsonArray interfaces)
    {
        foreach (var node in interfaces)
        {
            if (node is not JsonObject entry)
            {
                continue;
            }

            var hasSandbox = JsonStringValue.TryRead(entry["sandbox"], out var s) && s.Length > 0;
            if (!hasSandbox && JsonStringValue.TryRead(entry["name"], out var n) && n.Length > 0)
            {
                return n;
            }
        }

        return null;
    }
}
