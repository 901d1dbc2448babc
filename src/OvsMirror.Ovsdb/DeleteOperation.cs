using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>RFC 7047 §5.2.5 (delete).</summary>
public sealed class DeleteOperation(string table, IReadOnlyList<Condition> where) : OvsdbOperation
{
    public override string Op => "delete";

    public string Table { get; } = table;

    public IReadOnlyList<Condition> Where { get; } = where;

    private protected override void WriteMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("table", Table);
        WriteWhere(writer, Where);
    }
}
