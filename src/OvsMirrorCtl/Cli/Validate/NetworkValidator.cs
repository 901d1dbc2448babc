using System.Text;
using System.Text.Json.Nodes;
using OvsMirror.Cni;
using OvsMirror.Mirroring;

namespace OvsMirror.Cli.Validate;

/// <summary>
/// Checks a network config (a conflist or a single plugin config) as the plugin itself would at ADD: each ovs-mirror
/// plugin's stdin is built the way the runtime builds it, and then goes through the plugin's own decoder, binder and
/// backend parser. So a finding carries exactly the code and message kubelet's event would show.
/// </summary>
internal static class NetworkValidator
{
    /// <summary>ovs-mirror, and the ovs-cni names it also answers to (ovs-mirror-producer, ovs-mirror-consumer).</summary>
    public static bool IsOvsMirror(JsonNode? plugin) =>
        plugin is JsonObject o && o["type"] is JsonValue v && v.TryGetValue<string>(out var type)
        && type.StartsWith("ovs-mirror", StringComparison.Ordinal);

    /// <param name="file">For the findings.</param>
    /// <param name="where">Where the config is in the file (null for a whole file).</param>
    /// <param name="network">The conflist (with <c>plugins</c>) or the plugin config (with <c>type</c>).</param>
    /// <param name="cniArgs">A pod's <c>cni-args</c>, which Multus puts into the config as <c>args.cni</c>.</param>
    public static IEnumerable<ValidationFinding> Validate(string file, string? where, JsonObject network, JsonNode? cniArgs)
    {
        string prefix = where is null ? "" : where + " ";
        if (network["plugins"] is null)
        {
            if (network["type"] is null)
            {
                yield return Invalid(file, where ?? "file", CniErrorCode.InvalidNetworkConfig,
                    "neither a conflist (\"plugins\") nor a plugin config (\"type\")");
                yield break;
            }

            // A single plugin config (libcni's .conf): its stdin is the file, and no plugin runs before it.
            if (IsOvsMirror(network))
            {
                yield return ValidatePlugin(file, where ?? "config", network.DeepClone().AsObject(), cniArgs, chained: false);
            }
            else
            {
                yield return NotOurs(file, where ?? "config", network);
            }

            yield break;
        }

        if (network["plugins"] is not JsonArray plugins)
        {
            yield return Invalid(file, prefix + "plugins", CniErrorCode.InvalidNetworkConfig, "plugins must be an array");
            yield break;
        }

        var found = false;
        for (var i = 0; i < plugins.Count; i++)
        {
            if (!IsOvsMirror(plugins[i]))
            {
                continue;
            }

            found = true;

            // CNI SPEC §Section 3 (network configuration lists): the runtime sets cniVersion and name of the list in
            // every plugin's config, and gives each plugin after the first the result before it as prevResult.
            var raw = plugins[i]!.DeepClone().AsObject();
            raw["cniVersion"] = network["cniVersion"]?.DeepClone();
            raw["name"] = network["name"]?.DeepClone();
            yield return ValidatePlugin(file, $"{prefix}plugins[{i}]", raw, cniArgs, chained: i > 0);
        }

        if (!found)
        {
            yield return new ValidationFinding
            {
                File = file, Where = where ?? "conflist", Valid = true, Message = "no ovs-mirror plugin in this chain: nothing to check",
            };
        }
    }

    private static ValidationFinding ValidatePlugin(string file, string where, JsonObject raw, JsonNode? cniArgs, bool chained)
    {
        if (cniArgs is not null)
        {
            // Multus: the network selection's "cni-args" becomes args.cni of every plugin of the chain.
            var args = raw["args"] as JsonObject ?? new JsonObject();
            args["cni"] = cniArgs.DeepClone();
            raw["args"] = args;
        }

        if (chained)
        {
            // What ovs-cni's ovs hands on; the host interface itself is only known at run time.
            raw["prevResult"] = new JsonObject { ["cniVersion"] = raw["cniVersion"]?.DeepClone(), ["interfaces"] = new JsonArray() };
        }

        string type = raw["type"]!.GetValue<string>();
        try
        {
            var config = NetworkConfigParser.Bind(NetworkConfigParser.ParseObject(Encoding.UTF8.GetBytes(raw.ToJsonString())),
                CniCommand.Add);
            var backend = MirrorBackends.Parse(config, type, ConfigPurpose.Attach);
            if (!chained && backend.HasMirrors)
            {
                // ADD answers with prevResult (CNI SPEC §ADD): first in a chain, there is none.
                CniResult.PassThrough(config);
            }

            var mirrors = backend.MirrorSummaries;
            return new ValidationFinding
            {
                File = file,
                Where = where,
                Valid = true,
                Message = $"valid: {type}, backend {MirrorBackends.Select(config).Name}, " +
                    (mirrors.Count == 0 ? "no mirror" : $"{mirrors.Count} mirror(s): {string.Join(", ", mirrors)}"),
            };
        }
        catch (CniException e)
        {
            return Invalid(file, where, e.Code, e.Message, e.Details);
        }
    }

    private static ValidationFinding NotOurs(string file, string where, JsonObject plugin) => new()
    {
        File = file,
        Where = where,
        Valid = true,
        Message = $"plugin type {(plugin["type"] as JsonValue)?.ToJsonString() ?? "?"} is not ovs-mirror: nothing to check",
    };

    public static ValidationFinding Invalid(string file, string where, int code, string message, string? details = null) => new()
    {
        File = file, Where = where, Valid = false, Code = code, Message = message, Details = details,
    };
}
