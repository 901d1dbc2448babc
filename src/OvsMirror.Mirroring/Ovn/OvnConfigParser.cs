using System.Text;
using System.Text.Json.Nodes;
using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;
using OvsMirror.Ovsdb;
using static OvsMirror.Mirroring.Config.ConfigValueReader;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>
/// The config of <c>"backend": "ovn"</c>: <c>ovn_nb</c>, <c>mirrors</c> of the form
/// <c>{name, type: gre|erspan, index, filter: from-lport|to-lport, sink}</c> (the arguments of
/// <c>ovn-nbctl mirror-add</c>), <c>logicalSwitchPort</c>, <c>provider</c> and <c>timeoutMs</c>.
/// Every bad value is code 7 naming the key.
/// </summary>
internal static class OvnConfigParser
{
    /// <summary>A GRE key is 32 bits (RFC 2890).</summary>
    public const long MaxGreKey = uint.MaxValue;

    /// <summary>The ERSPAN type II index is 20 bits (draft-foschiano-erspan §4.1).</summary>
    public const long MaxErspanIndex = (1 << 20) - 1;

    private static readonly string[] EntryKeys = ["name", "type", "index", "filter", "sink"];

    /// <summary>The whole config, for ADD and CHECK.</summary>
    public static OvnPluginConfig Parse(JsonObject raw, JsonObject? args)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (OptionalBool(raw, "allowPodArgs", "allowPodArgs") == true)
        {
            throw Invalid("allowPodArgs is not supported with backend ovn: the NAD names the OVN mirrors");
        }

        args ??= OptionalObject(raw, "args", "args");
        if (args is not null && OptionalObject(args, "cni", "args.cni") is { } cni && Get(cni, "mirrors") is not null)
        {
            throw new CniException(PluginErrorCode.PodArgsNotAllowed,
                "the pod asked for mirrors through cni-args (args.cni.mirrors) but backend ovn takes its mirrors from the NAD only");
        }

        var mirrors = ParseMirrors(Get(raw, "mirrors"));
        var cleanup = ParseForCleanup(raw);
        return new OvnPluginConfig(cleanup.Endpoint, mirrors,
            OptionalNonEmptyString(raw, "logicalSwitchPort", "logicalSwitchPort"),
            OptionalNonEmptyString(raw, "provider", "provider"),
            cleanup.Timeout);
    }

    /// <summary>What DEL, STATUS and GC need: the endpoint and the deadline; they work from the records ADD left.</summary>
    public static OvnPluginConfig ParseForCleanup(JsonObject raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = OptionalNonEmptyString(raw, "ovn_nb", "ovn_nb") ?? OvnPluginConfig.DefaultNorthbound;
        if (!OvsdbEndpoint.TryParse(text, out var endpoint, out _))
        {
            throw Invalid("ovn_nb is not unix:PATH or tcp:HOST:PORT");
        }

        var timeout = TimeSpan.FromMilliseconds(
            OptionalInteger(raw, "timeoutMs", "timeoutMs", CommonLimits.MinTimeoutMs, CommonLimits.MaxTimeoutMs)
                ?? (int)CommonLimits.DefaultTimeout.TotalMilliseconds);
        return new OvnPluginConfig(endpoint, [], null, null, timeout);
    }

    private static List<OvnMirrorRequest> ParseMirrors(JsonNode? node)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            throw Invalid("mirrors must be an array");
        }

        var requests = new List<OvnMirrorRequest>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var request = ParseEntry(array[i], $"mirrors[{i}]");
            if (requests.Find(r => r.Name == request.Name) is { } same)
            {
                if (same != request)
                {
                    throw Invalid($"mirrors[{i}]: mirror {request.Name} is listed twice with different settings");
                }

                continue;
            }

            requests.Add(request);
        }

        return requests;
    }

    private static OvnMirrorRequest ParseEntry(JsonNode? node, string path)
    {
        if (node is not JsonObject entry)
        {
            throw Invalid($"{path} must be an object");
        }

        foreach (var (key, _) in entry)
        {
            if (!EntryKeys.Contains(key, StringComparer.Ordinal))
            {
                throw Invalid(MessageText.KeyPath(path, key) is { } keyPath
                    ? $"{keyPath} is not a key of an OVN mirror entry (name, type, index, filter, sink)"
                    : $"{path} has a key that an OVN mirror entry (name, type, index, filter, sink) does not know");
            }
        }

        var name = RequiredNonEmptyString(entry, "name", path + ".name");
        if (Encoding.UTF8.GetByteCount(name) > CommonLimits.MaxMirrorNameBytes)
        {
            throw Invalid($"{path}.name is longer than {CommonLimits.MaxMirrorNameBytes} bytes of UTF-8");
        }

        var type = RequiredNonEmptyString(entry, "type", path + ".type");
        var maxIndex = type switch
        {
            "gre" => MaxGreKey,
            "erspan" => MaxErspanIndex,
            _ => throw Invalid($"{path}.type: {MessageText.Word(type)} is not one of gre, erspan"),
        };
        var index = ReadLong(Get(entry, "index") ?? throw Invalid($"{path}.index is required"), path + ".index", 0, maxIndex);
        var filter = RequiredNonEmptyString(entry, "filter", path + ".filter");
        if (filter is not ("from-lport" or "to-lport" or "both"))
        {
            throw Invalid($"{path}.filter: {MessageText.Word(filter)} is not one of from-lport, to-lport, both");
        }

        var sink = RequiredNonEmptyString(entry, "sink", path + ".sink");
        if (!IpAddressText.IsIpAddress(sink))
        {
            throw Invalid($"{path}.sink is not an IPv4 or IPv6 address");
        }

        return new OvnMirrorRequest(name, type, index, filter, sink);
    }
}
