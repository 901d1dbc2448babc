using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>RFC 7047 §5.2.1 (insert). The result carries the new row's "uuid".</summary>
public sealed class InsertOperation(string table, OvsdbRow row, string? uuidName = null) : OvsdbOperation
{
    public override string Op => "insert";

    public string Table { get; } = table;

    public OvsdbRow Row { get; } = row;

    /// <summary>Lets later operations of the same transaction refer to the row as ["named-uuid", name].</summary>
    public string? UuidName { get; } = uuidName;

    private protected override void WriteMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("table", Table);
        writer.WritePropertyName("row");
        Row.WriteTo(writer);
        if (UuidName is not null)
        {
            writer.WriteString("uuid-name", UuidName);
        }
    }
}
