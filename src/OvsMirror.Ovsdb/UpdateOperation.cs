using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>RFC 7047 §5.2.3 (update). Replaces whole column values: never use it for shared sets (use mutate).</summary>
public sealed class UpdateOperation(string table, IReadOnlyList<Condition> where, OvsdbRow row) : OvsdbOperation
{
    public override string Op => "update";

    public string Table { get; } = table;

    public IReadOnlyList<Condition> Where { get; } = where;

    public OvsdbRow Row { get; } = row;

    private protected override void WriteMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("table", Table);
        WriteWhere(writer, Where);
        writer.WritePropertyName("row");
        Row.WriteTo(writer);
    }
}
