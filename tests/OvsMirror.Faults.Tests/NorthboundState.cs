using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Faults.Tests;

/// <summary>OVN Northbound Mirror rows and Logical_Switch_Port.mirror_rules, read with ovn-nbctl (the independent oracle).</summary>
internal sealed class NorthboundState
{
    private NorthboundState(IReadOnlyList<(string Uuid, string Name, Dictionary<string, string> ExternalIds)> mirrors,
        IReadOnlyDictionary<string, IReadOnlySet<string>> rules)
    {
        Mirrors = mirrors;
        MirrorRules = rules;
    }

    public IReadOnlyList<(string Uuid, string Name, Dictionary<string, string> ExternalIds)> Mirrors { get; }

    /// <summary>LSP name to the mirror uuids in its mirror_rules.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> MirrorRules { get; }

    public static async Task<NorthboundState> ReadAsync(OvsSandbox sandbox)
    {
        var mirrors = JsonNode.Parse(await sandbox.NbctlAsync("--format=json", "--columns=_uuid,name,external_ids", "list", "Mirror"))!["data"]!
            .AsArray().Select(r => (Uuid(r![0]!), r[1]!.GetValue<string>(), Map(r[2]!))).ToList();
        var rules = JsonNode.Parse(await sandbox.NbctlAsync("--format=json", "--columns=name,mirror_rules", "list", "Logical_Switch_Port"))!["data"]!
            .AsArray().ToDictionary(r => r![0]!.GetValue<string>(), r => (IReadOnlySet<string>)Set(r![1]!).Select(Uuid).ToHashSet(StringComparer.Ordinal),
                StringComparer.Ordinal);
        return new NorthboundState(mirrors, rules);
    }

    /// <summary>Whether container <paramref name="containerId"/> (ifname eth1) has a record on the NB mirror <paramref name="mirror"/>.</summary>
    public bool HasRecord(string mirror, string containerId) =>
        Mirrors.Any(m => m.Name == mirror && m.ExternalIds.ContainsKey($"{MirrorRow.RecordPrefix}{containerId}/eth1"));

    /// <summary>Torn attachments: a record whose LSP does not refer to the mirror, or an LSP referring to an owned mirror without a record for it.</summary>
    public List<string> Problems(bool noOrphans)
    {
        var problems = new List<string>();
        foreach (var (uuid, name, ids) in Mirrors.Where(m => m.ExternalIds.ContainsKey(MirrorRow.OwnerKey)))
        {
            var lsps = ids.Where(e => e.Key.StartsWith(MirrorRow.RecordPrefix, StringComparison.Ordinal))
                .Select(e => e.Value[(e.Value.IndexOf(";lsp=", StringComparison.Ordinal) + 5)..]).ToHashSet(StringComparer.Ordinal);
            foreach (var lsp in lsps.Where(l => MirrorRules.TryGetValue(l, out var r) && !r.Contains(uuid)))
            {
                problems.Add($"torn: a record on {name} names {lsp}, whose mirror_rules lack it");
            }

            foreach (var (lsp, _) in MirrorRules.Where(r => r.Value.Contains(uuid) && !lsps.Contains(r.Key)))
            {
                problems.Add($"torn: {lsp}.mirror_rules holds {name} without a record");
            }

            if (noOrphans && lsps.Count == 0)
            {
                problems.Add($"orphan: owned NB mirror {name} has no attachment record");
            }
        }

        return problems;
    }

    private static IEnumerable<JsonNode> Set(JsonNode datum) =>
        datum is JsonArray { Count: 2 } a && a[0]!.GetValue<string>() == "set" ? a[1]!.AsArray().Select(n => n!) : [datum];

    private static string Uuid(JsonNode atom) => atom[1]!.GetValue<string>();

    private static Dictionary<string, string> Map(JsonNode datum) => datum[1]!.AsArray()
        .ToDictionary(p => p![0]!.GetValue<string>(), p => p![1]!.GetValue<string>(), StringComparer.Ordinal);
}
