using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>One Mirror row as ovs-vsctl shows it.</summary>
internal sealed record RaceMirrorRow(
    string Uuid,
    string Name,
    IReadOnlySet<string> SrcPorts,
    IReadOnlySet<string> DstPorts,
    string? OutputPort,
    IReadOnlyDictionary<string, string> ExternalIds)
{
    /// <summary>The external_ids key that marks a mirror ovs-mirror created (and so may remove).</summary>
    public const string OwnerKey = "ovs-mirror/owner";

    /// <summary>The external_ids key of one attachment's record: ovs-mirror/a/CONTAINERID/IFNAME.</summary>
    public static string RecordKey(string containerId, string ifName = "eth1") => $"ovs-mirror/a/{containerId}/{ifName}";

    public bool Owned => ExternalIds.ContainsKey(OwnerKey);

    public IReadOnlySet<string> RecordKeys =>
        ExternalIds.Keys.Where(k => k.StartsWith("ovs-mirror/a/", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// Bridges, mirrors and ports read by ONE ovs-vsctl invocation (one consistent snapshot of the database),
/// parsed from <c>--format=json</c>. Shares no code with the plugin: the oracle of the race tests.
/// </summary>
internal sealed class RaceOvsdbState
{
    private RaceOvsdbState(
        IReadOnlyDictionary<string, IReadOnlyList<string>> bridgeMirrors,
        IReadOnlyDictionary<string, RaceMirrorRow> mirrors,
        IReadOnlyDictionary<string, string> portUuids)
    {
        BridgeMirrors = bridgeMirrors;
        Mirrors = mirrors;
        PortUuids = portUuids;
    }

    /// <summary>Bridge name to the uuids in its <c>mirrors</c> column.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> BridgeMirrors { get; }

    /// <summary>Every row of the Mirror table, by uuid.</summary>
    public IReadOnlyDictionary<string, RaceMirrorRow> Mirrors { get; }

    /// <summary>Port name to Port uuid.</summary>
    public IReadOnlyDictionary<string, string> PortUuids { get; }

    /// <summary>The mirrors of this bridge with this name (more than one is a duplicate).</summary>
    public IReadOnlyList<RaceMirrorRow> OnBridge(string bridge, string name) =>
        [.. OnBridge(bridge).Where(m => m.Name == name)];

    public IReadOnlyList<RaceMirrorRow> OnBridge(string bridge) =>
        [.. BridgeMirrors.GetValueOrDefault(bridge, []).Select(uuid => Mirrors[uuid])];

    public static async Task<RaceOvsdbState> ReadAsync(OvsSandbox sandbox)
    {
        var text = await sandbox.VsctlAsync(
            "--format=json",
            "--", "--columns=name,mirrors", "list", "Bridge",
            "--", "--columns=_uuid,name,select_src_port,select_dst_port,output_port,external_ids", "list", "Mirror",
            "--", "--columns=_uuid,name", "list", "Port");
        var tables = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonNode.Parse(line)!["data"]!.AsArray())
            .ToArray();
        tables.Should().HaveCount(3, $"ovs-vsctl printed one table per command: {text}");

        var bridges = tables[0].ToDictionary(
            r => r![0]!.GetValue<string>(),
            r => (IReadOnlyList<string>)[.. Set(r![1]!).Select(Uuid)],
            StringComparer.Ordinal);
        var mirrors = tables[1].Select(r => new RaceMirrorRow(
                Uuid(r![0]!),
                r[1]!.GetValue<string>(),
                Set(r[2]!).Select(Uuid).ToHashSet(StringComparer.Ordinal),
                Set(r[3]!).Select(Uuid).ToHashSet(StringComparer.Ordinal),
                Set(r[4]!).Select(Uuid).SingleOrDefault(),
                Map(r[5]!)))
            .ToDictionary(m => m.Uuid, StringComparer.Ordinal);
        var ports = tables[2].ToDictionary(r => r![1]!.GetValue<string>(), r => Uuid(r![0]!), StringComparer.Ordinal);
        return new RaceOvsdbState(bridges, mirrors, ports);
    }

    /// <summary>RFC 7047 §5.1 &lt;set&gt;: ["set", [...]], or a one-element set as the bare atom.</summary>
    private static IEnumerable<JsonNode> Set(JsonNode datum) =>
        datum is JsonArray { Count: 2 } a && a[0]!.GetValue<string>() == "set" ? a[1]!.AsArray().Select(n => n!) : [datum];

    /// <summary>RFC 7047 §5.1 &lt;uuid&gt;: ["uuid", "..."].</summary>
    private static string Uuid(JsonNode atom) => atom[1]!.GetValue<string>();

    /// <summary>RFC 7047 §5.1 &lt;map&gt;: ["map", [[key, value], ...]], here string to string.</summary>
    private static Dictionary<string, string> Map(JsonNode datum) => datum[1]!.AsArray()
        .ToDictionary(p => p![0]!.GetValue<string>(), p => p![1]!.GetValue<string>(), StringComparer.Ordinal);
}
