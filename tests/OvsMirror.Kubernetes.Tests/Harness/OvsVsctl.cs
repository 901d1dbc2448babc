using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary><c>ovs-vsctl</c> on the rig's private OVSDB: the oracle for what is in the database.</summary>
public sealed class OvsVsctl(string database, string bridge)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<OvsdbSnapshot> SnapshotAsync()
    {
        var ports = (await ListAsync("Port", "_uuid,name,external_ids").ConfigureAwait(false))
            .Select(r => new OvsdbPort(Uuid(r[0]), r[1]!.GetValue<string>(), Map(r[2])))
            .ToList();
        var portNames = ports.ToDictionary(p => p.Uuid, p => p.Name, StringComparer.Ordinal);
        string Name(string uuid) => portNames.GetValueOrDefault(uuid, uuid);
        var mirrors = (await ListAsync("Mirror", "_uuid,name,select_src_port,select_dst_port,output_port,external_ids").ConfigureAwait(false))
            .Select(r => new OvsdbMirror(
                Uuid(r[0]),
                r[1]!.GetValue<string>(),
                [.. UuidSet(r[2]).Select(Name).Order(StringComparer.Ordinal)],
                [.. UuidSet(r[3]).Select(Name).Order(StringComparer.Ordinal)],
                UuidSet(r[4]).Select(Name).FirstOrDefault(),
                Map(r[5])))
            .ToList();
        var bridgeRow = (await ListAsync("Bridge", "name,mirrors,ports").ConfigureAwait(false))
            .FirstOrDefault(r => r[0]!.GetValue<string>() == bridge)
            ?? throw new InvalidOperationException($"no bridge {bridge} in {database}");
        return new OvsdbSnapshot(mirrors, ports, [.. UuidSet(bridgeRow[1])], [.. UuidSet(bridgeRow[2])]);
    }

    private async Task<IReadOnlyList<JsonArray>> ListAsync(string table, string columns)
    {
        var r = await ProcessRunner.RunCheckedAsync(
            "ovs-vsctl",
            [$"--db={database}", "--timeout=20", "--format=json", "--data=json", $"--columns={columns}", "list", table],
            Timeout).ConfigureAwait(false);
        var data = JsonNode.Parse(r.StandardOutput)?["data"]?.AsArray() ?? [];
        return [.. data.Select(row => row!.AsArray())];
    }

    // RFC 7047 §5.1: ["uuid", "..."], ["set", [...]], ["map", [[k, v], ...]]
    private static string Uuid(JsonNode? atom) => atom!.AsArray()[1]!.GetValue<string>();

    private static IEnumerable<string> UuidSet(JsonNode? value)
    {
        var a = value!.AsArray();
        return a[0]!.GetValue<string>() == "set" ? a[1]!.AsArray().Select(Uuid) : [Uuid(a)];
    }

    private static Dictionary<string, string> Map(JsonNode? value) =>
        value!.AsArray()[1]!.AsArray().ToDictionary(
            kv => kv![0]!.GetValue<string>(), kv => kv![1]!.GetValue<string>(), StringComparer.Ordinal);
}
