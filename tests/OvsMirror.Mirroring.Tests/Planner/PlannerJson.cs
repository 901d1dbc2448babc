using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Tests.Planner;

/// <summary>Renders a planned transaction as the server would receive it, and compares JSON.</summary>
internal static class PlannerJson
{
    /// <summary>The operations of <c>transaction.WriteParams</c> ([db, op*]), after checking the database name.</summary>
    public static JsonArray Ops(Transaction transaction) => Ops(transaction, "Open_vSwitch");

    /// <summary>The operations of a transaction on <paramref name="database"/> (OVN_Northbound, say).</summary>
    public static JsonArray Ops(Transaction transaction, string database)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            transaction.WriteParams(writer);
        }

        var parameters = JsonNode.Parse(buffer.WrittenSpan)!.AsArray();
        parameters[0]!.GetValue<string>().Should().Be(database);
        return [.. parameters.Skip(1).Select(op => op!.DeepClone())];
    }

    /// <summary>"op" of each operation, in order.</summary>
    public static string[] Kinds(this JsonArray ops) => [.. ops.Select(op => op!["op"]!.GetValue<string>())];

    public static void ShouldBeJson(this JsonNode? actual, string expected)
    {
        var want = JsonNode.Parse(expected);
        JsonNode.DeepEquals(actual, want).Should().BeTrue(
            $"expected {want?.ToJsonString()}{Environment.NewLine}     got {actual?.ToJsonString()}");
    }

    /// <summary>Every operation of this kind.</summary>
    public static IEnumerable<JsonNode> OfKind(this JsonArray ops, string kind) =>
        ops.Where(op => op!["op"]!.GetValue<string>() == kind)!;
}
