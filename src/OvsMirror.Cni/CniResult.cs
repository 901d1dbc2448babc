using System.Text.Json.Nodes;

namespace OvsMirror.Cni;

/// <summary>Builds ADD results for a chained plugin.</summary>
public static class CniResult
{
    /// <summary>
    /// CNI SPEC §ADD: a chained plugin "MUST handle prevResult by either passing it through, or modifying it".
    /// Returns a deep copy of <c>prevResult</c> (interfaces, ips, routes, dns and any other key kept as they came)
    /// with <c>cniVersion</c> set to the configuration's. A missing <c>prevResult</c> is code 7.
    /// </summary>
    public static JsonObject PassThrough(NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.PrevResult is null)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "prevResult is required for ADD");
        }

        var output = (JsonObject)config.PrevResult.DeepClone();
        // The configuration's own node when it holds the version (a JsonElement view, cloned): a new JsonValue made
        // from the string would build System.Text.Json's string converter on first use, with reflection (issue 14).
        output["cniVersion"] = config.Raw["cniVersion"] is JsonValue version && JsonStringValue.TryRead(version, out var text)
            && text == config.CniVersion
            ? version.DeepClone()
            : JsonValue.Create(config.CniVersion);
        return output;
    }
}
