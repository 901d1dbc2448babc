using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>RFC 7047 §5.2.2 (select). Without columns the server returns every column.</summary>
public sealed class SelectOperation(string table, IReadOnlyList<Condition> where, IReadOnlyList<string>? columns = null)
    : OvsdbOperation
{
    public override string Op => "select";

    public string Table { get; } = table;

    public IReadOnlyList<Condition> Where { get; } = where;

    public IReadOnlyList<string>? Columns { get; } = columns;

    private protected override void WriteMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("table", Table);
        WriteWhere(writer, Where);
        if (Columns is not null)
        {
            WriteColumns(writer, Columns);
        }
    }
}
