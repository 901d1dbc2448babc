using System.Text;
using System.Text.Json.Nodes;
using static OvsMirror.Mirroring.Config.ConfigValueReader;

using OvsMirror.Mirroring.Config;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Validates the entries of a <c>mirrors</c> array (the NAD's, or the pod's <c>args.cni.mirrors</c>) into
/// <see cref="MirrorRequest"/>s, one per entry and in order (DESIGN §2). Every message starts with the entry's path.
/// </summary>
internal static class MirrorEntryParser
{
    /// <summary>OVSDB takes any string; we bound a name so it stays usable in logs and external_ids.</summary>
    public const int MaxNameBytes = CommonLimits.MaxMirrorNameBytes;

    /// <summary>The lowest and highest 802.1Q VLAN ID that <c>Mirror.select_vlan</c> accepts.</summary>
    public const int MinVlan = 0;

    public const int MaxVlan = 4095;

    /// <summary><c>Mirror.output_vlan</c> accepts 1-4095.</summary>
    public const int MinOutputVlan = 1;

    /// <summary><c>Mirror.snaplen</c> accepts 14 (an Ethernet header) to 65535.</summary>
    public const int MinSnaplen = 14;

    public const int MaxSnaplen = 65535;

    private static readonly string[] OvsMirrorKeys = ["name", "selection", "vlans", "output", "outputVlan", "snaplen", "remote"];

    private static readonly string[] OvsCniKeys = ["name", "ingress", "egress"];

    /// <summary>Parses <paramref name="node"/> (absent or null: no entries) as an array of mirror entries.</summary>
    public static List<MirrorRequest> ParseList(JsonNode? node, string path, ConfigSchema schema, ConfigSource source)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            throw Invalid($"{path} must be an array");
        }

        var requests = new List<MirrorRequest>(array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            requests.Add(Parse(array[i], $"{path}[{i}]", schema, source));
        }

        return requests;
    }

    private static MirrorRequest Parse(JsonNode? node, string path, ConfigSchema schema, ConfigSource source)
    {
        if (node is not JsonObject entry)
        {
            throw Invalid($"{path} must be an object");
        }

        // Typos must not be silently ignored: check the keys before anything else, so "nmae" reads as a typo.
        CheckKeys(entry, path, schema);
        string name = ReadName(entry, path);
        return schema switch
        {
            ConfigSchema.OvsCniProducer => ParseOvsCniProducer(entry, path, name, source),
            ConfigSchema.OvsCniConsumer => ParseOvsCniConsumer(entry, path, name, source),
            _ => ParseOvsMirror(entry, path, name, source),
        };
    }

    private static void CheckKeys(JsonObject entry, string path, ConfigSchema schema)
    {
        var known = schema == ConfigSchema.OvsMirror ? OvsMirrorKeys : OvsCniKeys;
        foreach (var (key, _) in entry)
        {
            if (known.Contains(key, StringComparer.Ordinal))
            {
                continue;
            }

            string? keyPath = MessageText.KeyPath(path, key);
            if (keyPath is null)
            {
                throw Invalid($"{path} has a key that a mirror entry does not know");
            }

            if (schema == ConfigSchema.OvsMirror && key is "ingress" or "egress")
            {
                // DESIGN §2: ingress/egress are ovs-cni's schema, read only under the ovs-mirror-producer name.
                throw Invalid(
                    $"{keyPath} is the ovs-cni ovs-mirror-producer schema; with type ovs-mirror write " +
                    "\"selection\": [\"src_port\"] for ingress and [\"dst_port\"] for egress");
            }

            if (schema != ConfigSchema.OvsMirror && OvsMirrorKeys.Contains(key, StringComparer.Ordinal))
            {
                string program = schema == ConfigSchema.OvsCniProducer
                    ? PluginConfigParser.ProducerCompatName
                    : PluginConfigParser.ConsumerCompatName;
                throw Invalid(
                    $"{keyPath} is not part of the ovs-cni {program} schema ({{name, ingress, egress}}); " +
                    "use type ovs-mirror for selection and output");
            }

            throw Invalid($"{keyPath} is not a known key of a mirror entry");
        }
    }

    private static string ReadName(JsonObject entry, string path)
    {
        string name = RequiredNonEmptyString(entry, "name", path + ".name");
        return Encoding.UTF8.GetByteCount(name) <= MaxNameBytes
            ? name
            : throw Invalid($"{path}.name is longer than {MaxNameBytes} bytes of UTF-8");
    }

    /// <summary>DESIGN §2: exactly one of selection (a source) and output (the output).</summary>
    private static MirrorRequest ParseOvsMirror(JsonObject entry, string path, string name, ConfigSource source)
    {
        var selectionNode = Get(entry, "selection");
        var outputNode = Get(entry, "output");
        if (selectionNode is not null && outputNode is not null)
        {
            throw Invalid($"{path} has both selection and output; a mirror entry is either a source or the output");
        }

        if (selectionNode is null && outputNode is null)
        {
            throw Invalid($"{path} needs selection (to be a source of the mirror) or output (to be its output)");
        }

        int? snaplen = OptionalInteger(entry, "snaplen", path + ".snaplen", MinSnaplen, MaxSnaplen);
        return selectionNode is not null
            ? ParseSource(entry, path, name, selectionNode, snaplen, source)
            : ParseOutput(entry, path, name, outputNode!, snaplen, source);
    }

    private static MirrorRequest ParseSource(
        JsonObject entry, string path, string name, JsonNode selectionNode, int? snaplen, ConfigSource source)
    {
        var selection = ReadSelection(selectionNode, path + ".selection");
        if (Get(entry, "outputVlan") is not null)
        {
            throw Invalid($"{path}.outputVlan is only for an entry with output \"vlan\"");
        }

        var vlans = OptionalArray(entry, "vlans", path + ".vlans");
        if (vlans is not null && !selection.HasFlag(MirrorSelection.Vlan))
        {
            throw Invalid($"{path}.vlans needs \"vlan\" in {path}.selection");
        }

        var remote = Get(entry, "remote") is { } remoteNode ? RemoteOutput.Parse(remoteNode, path + ".remote") : null;
        return new MirrorRequest(
            name, MirrorRole.Producer, selection, ReadVlans(vlans, path + ".vlans"), MirrorOutputKind.None, null, snaplen, source, remote);
    }

    private static MirrorRequest ParseOutput(
        JsonObject entry, string path, string name, JsonNode outputNode, int? snaplen, ConfigSource source)
    {
        string word = ReadString(outputNode, path + ".output");
        var kind = word switch
        {
            "port" => MirrorOutputKind.Port,
            "vlan" => MirrorOutputKind.Vlan,
            _ => throw Invalid($"{path}.output: {MessageText.Word(word)} is not one of port (SPAN), vlan (RSPAN)"),
        };

        if (Get(entry, "vlans") is not null)
        {
            throw Invalid($"{path}.vlans is only for an entry with \"vlan\" in selection");
        }

        if (Get(entry, "remote") is not null)
        {
            throw Invalid($"{path}.remote is for a source entry (with selection): a remote collector is the mirror's output instead of a consumer");
        }

        int? outputVlan = OptionalInteger(entry, "outputVlan", path + ".outputVlan", MinOutputVlan, MaxVlan);
        if (outputVlan is not null && kind != MirrorOutputKind.Vlan)
        {
            throw Invalid($"{path}.outputVlan is only for an entry with output \"vlan\"");
        }

        return new MirrorRequest(name, MirrorRole.Consumer, MirrorSelection.None, [], kind, outputVlan, snaplen, source);
    }

    /// <summary>Proposal §NAD approach, SELECTION_ARRAY; the proposal spells the port words with '_' and with '-'.</summary>
    private static MirrorSelection ReadSelection(JsonNode node, string path)
    {
        if (node is not JsonArray array)
        {
            throw Invalid($"{path} must be an array of strings");
        }

        if (array.Count == 0)
        {
            throw Invalid($"{path} must not be empty");
        }

        var selection = MirrorSelection.None;
        for (int i = 0; i < array.Count; i++)
        {
            string itemPath = $"{path}[{i}]";
            string word = ReadString(array[i], itemPath);
            selection |= word switch
            {
                "src_port" or "src-port" => MirrorSelection.SrcPort,
                "dst_port" or "dst-port" => MirrorSelection.DstPort,
                "all" => MirrorSelection.All,
                "vlan" => MirrorSelection.Vlan,
                _ => throw Invalid($"{itemPath}: {MessageText.Word(word)} is not one of src_port, dst_port, all, vlan"),
            };
        }

        return selection;
    }

    /// <summary>The listed VLANs, ascending and distinct; an absent list is empty ("the pod port's own tag").</summary>
    private static int[] ReadVlans(JsonArray? array, string path)
    {
        if (array is null)
        {
            return [];
        }

        if (array.Count == 0)
        {
            throw Invalid($"{path} must not be empty; leave it out to select the VLAN of the pod's own port");
        }

        var vlans = new SortedSet<int>();
        for (int i = 0; i < array.Count; i++)
        {
            vlans.Add(ReadInteger(array[i], $"{path}[{i}]", MinVlan, MaxVlan));
        }

        return [.. vlans];
    }

    /// <summary>DESIGN §2: ovs-cni's producer; ingress maps to select_src_port, egress to select_dst_port.</summary>
    private static MirrorRequest ParseOvsCniProducer(JsonObject entry, string path, string name, ConfigSource source)
    {
        var selection = MirrorSelection.None;
        if (OptionalBool(entry, "ingress", path + ".ingress") == true)
        {
            selection |= MirrorSelection.SrcPort;
        }

        if (OptionalBool(entry, "egress", path + ".egress") == true)
        {
            selection |= MirrorSelection.DstPort;
        }

        if (selection == MirrorSelection.None)
        {
            throw Invalid($"{path} needs ingress or egress set to true, or it selects nothing");
        }

        return new MirrorRequest(name, MirrorRole.Producer, selection, [], MirrorOutputKind.None, null, null, source);
    }

    /// <summary>
    /// DESIGN §2: ovs-cni's consumer is <c>{name}</c>, and the port becomes output_port. ovs-cni reads both plugins'
    /// entries into one struct, so its consumer configs may carry ingress/egress: they must be booleans and mean nothing.
    /// </summary>
    private static MirrorRequest ParseOvsCniConsumer(JsonObject entry, string path, string name, ConfigSource source)
    {
        _ = OptionalBool(entry, "ingress", path + ".ingress");
        _ = OptionalBool(entry, "egress", path + ".egress");
        return new MirrorRequest(name, MirrorRole.Consumer, MirrorSelection.None, [], MirrorOutputKind.Port, null, null, source);
    }
}
