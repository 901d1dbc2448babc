using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>RFC 7047 §5.2.4 (mutate): atomic in-server changes such as set insert and delete.</summary>
public sealed class MutateOperation(string table, IReadOnlyList<Condition> where, IReadOnlyList<Mutation> mutations)
    : OvsdbOperation
{
    public override string Op => "mutate";

    public string Table { get; } = table;

    public IReadOnlyList<Condition> Where { get; } = where;

    public IReadOnlyList<Mutation> Mutations { get; } = mutations;

    private protected override void WriteMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("table", Table);
        WriteWhere(writer, Where);
        writer.WritePropertyName("mutations");
        writer.WriteStartArray();
        foreach (var mutation in Mutations)
        {
            mutation.WriteTo(writer);
        }

        writer.WriteEndArray();
    }
}
