using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Faults.Tests;

/// <summary>One Mirror row as ovs-vsctl shows it, with its attachment records parsed by this oracle (not the plugin).</summary>
internal sealed record MirrorRow(
    string Uuid,
    string Name,
    IReadOnlySet<string> SrcPorts,
    IReadOnlySet<string> DstPorts,
    string? OutputPort,
    IReadOnlyDictionary<string, string> ExternalIds)
{
    public const string OwnerKey = "ovs-mirror/owner";
    public const string RecordPrefix = "ovs-mirror/a/";

    public bool Owned => ExternalIds.ContainsKey(OwnerKey);

    public bool Remote => ExternalIds.ContainsKey("ovs-mirror/remote");

    /// <summary>Attachment records: container id (ifname eth1) to the record's fields.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Records =>
        ExternalIds.Where(e => e.Key.StartsWith(RecordPrefix, StringComparison.Ordinal))
            .ToDictionary(
                e => e.Key[RecordPrefix.Length..].Split('/')[0],
                e => (IReadOnlyDictionary<string, string>)e.Value.Split(';').Skip(1)
                    .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]),
                StringComparer.Ordinal);
}

/// <summary>
/// Bridges, mirrors and ports read by ONE ovs-vsctl invocation (one consistent snapshot), parsed from
/// <c>--format=json</c>. Shares no code with the plugin: the oracle of the fault tests.
/// </summary>
internal sealed class OvsdbState
{
    private OvsdbState(
        IReadOnlyDictionary<string, IReadOnlyList<string>> bridgeMirrors,
        IReadOnlyDictionary<string, MirrorRow> mirrors,
        IReadOnlyDictionary<string, string> portUuids)
    {
        BridgeMirrors = bridgeMirrors;
        Mirrors = mirrors;
        PortUuids = portUuids;
    }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> BridgeMirrors { get; }

    public IReadOnlyDictionary<string, MirrorRow> Mirrors { get; }

    /// <summary>Port name to uuid.</summary>
    public IReadOnlyDictionary<string, string> PortUuids { get; }

    public IReadOnlyList<MirrorRow> OnBridge(string bridge) =>
        [.. BridgeMirrors.GetValueOrDefault(bridge, []).Select(uuid => Mirrors[uuid])];

    /// <summary>The container ids with a record on any mirror of the bridge.</summary>
    public IReadOnlySet<string> Attached(string bridge) =>
        OnBridge(bridge).SelectMany(m => m.Records.Keys).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether container <paramref name="containerId"/> has a record on the mirror <paramref name="mirror"/> of the bridge.</summary>
    public bool HasRecord(string bridge, string mirror, string containerId) =>
        OnBridge(bridge).Any(m => m.Name == mirror && m.Records.ContainsKey(containerId));

    public static async Task<OvsdbState> ReadAsync(OvsSandbox sandbox)
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
        var mirrors = tables[1].Select(r => new MirrorRow(
                Uuid(r![0]!),
                r[1]!.GetValue<string>(),
                Set(r[2]!).Select(Uuid).ToHashSet(StringComparer.Ordinal),
                Set(r[3]!).Select(Uuid).ToHashSet(StringComparer.Ordinal),
                Set(r[4]!).Select(Uuid).SingleOrDefault(),
                Map(r[5]!)))
            .ToDictionary(m => m.Uuid, StringComparer.Ordinal);
        var ports = tables[2].ToDictionary(r => r![1]!.GetValue<string>(), r => Uuid(r![0]!), StringComparer.Ordinal);
        return new OvsdbState(bridges, mirrors, ports);
    }

    /// <summary>
    /// What breaks the invariants of the bridge: a duplicate mirror name; a torn attachment (a port in a select_* or
    /// output column without a record that put it there, or a record whose port is in OVSDB but not in its column);
    /// with <paramref name="noOrphans"/>, an owned mirror without any record, or a Mirror row no bridge holds.
    /// Ports deleted by someone else are not torn: their weak references vanish while the record stays for DEL.
    /// </summary>
    public List<string> Problems(string bridge, bool noOrphans)
    {
        var problems = new List<string>();
        var liveUuids = PortUuids.Values.ToHashSet(StringComparer.Ordinal);
        foreach (var group in OnBridge(bridge).GroupBy(m => m.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"{group.Count()} mirrors named {group.Key} on {bridge}");
        }

        foreach (var mirror in OnBridge(bridge).Where(m => m.Owned))
        {
            var records = mirror.Records;
            string? Uuid(IReadOnlyDictionary<string, string> r) => r.GetValueOrDefault("uuid");
            bool Selects(IReadOnlyDictionary<string, string> r, string word) =>
                r.GetValueOrDefault("role") == "producer" && (r.GetValueOrDefault("sel") ?? "").Split(',').Contains(word);

            foreach (var (column, ports, word) in new[] { ("select_src_port", mirror.SrcPorts, "src"), ("select_dst_port", mirror.DstPorts, "dst") })
            {
                foreach (var port in ports.Where(p => !records.Values.Any(r => Selects(r, word) && Uuid(r) == p)))
                {
                    problems.Add($"torn: {mirror.Name}.{column} holds port {PortName(port)} without a record");
                }

                foreach (var (id, record) in records.Where(r => Selects(r.Value, word) && Uuid(r.Value) is { } u && liveUuids.Contains(u) && !ports.Contains(u)))
                {
                    problems.Add($"torn: record of {id} on {mirror.Name} says {word}, but {column} lacks port {record.GetValueOrDefault("port")}");
                }
            }

            var consumers = records.Where(r => r.Value.GetValueOrDefault("role") == "consumer" && r.Value.GetValueOrDefault("out") == "port").ToList();
            if (!mirror.Remote && mirror.OutputPort is { } output && !consumers.Any(c => Uuid(c.Value) == output))
            {
                problems.Add($"torn: {mirror.Name}.output_port is {PortName(output)} without a consumer record");
            }

            foreach (var (id, record) in consumers.Where(c => Uuid(c.Value) is { } u && liveUuids.Contains(u) && mirror.OutputPort != u))
            {
                problems.Add($"torn: consumer record of {id} on {mirror.Name}, but output_port is {mirror.OutputPort ?? "empty"}");
            }

            if (noOrphans && records.Count == 0)
            {
                problems.Add($"orphan: owned mirror {mirror.Name} has no attachment record");
            }
        }

        if (noOrphans)
        {
            var held = BridgeMirrors.Values.SelectMany(u => u).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(Mirrors.Values.Where(m => !held.Contains(m.Uuid)).Select(m => $"orphan: Mirror row {m.Name} on no bridge"));
        }

        return problems;
    }

    private string PortName(string uuid) => PortUuids.FirstOrDefault(p => p.Value == uuid).Key ?? uuid;

    /// <summary>RFC 7047 §5.1 &lt;set&gt;: ["set", [...]], or a one-element set as the bare atom.</summary>
    private static IEnumerable<JsonNode> Set(JsonNode datum) =>
        datum is JsonArray { Count: 2 } a && a[0]!.GetValue<string>() == "set" ? a[1]!.AsArray().Select(n => n!) : [datum];

    /// <summary>RFC 7047 §5.1 &lt;uuid&gt;: ["uuid", "..."].</summary>
    private static string Uuid(JsonNode atom) => atom[1]!.GetValue<string>();

    /// <summary>RFC 7047 §5.1 &lt;map&gt;: ["map", [[key, value], ...]], here string to string.</summary>
    private static Dictionary<string, string> Map(JsonNode datum) => datum[1]!.AsArray()
        .ToDictionary(p => p![0]!.GetValue<string>(), p => p![1]!.GetValue<string>(), StringComparer.Ordinal);
}
