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
        output["cniVersion"] = config.CniVersion;
        return output;
    }
}
