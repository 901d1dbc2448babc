using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>
/// RFC 7047 §5.2.6 (wait): a precondition. The rows matching <see cref="Where"/>, projected onto
/// <see cref="Columns"/>, must equal (until "==") or differ from (until "!=") <see cref="Rows"/>.
/// With <see cref="TimeoutMilliseconds"/> 0 a failed precondition aborts the transaction at once with
/// "timed out"; without a timeout the server holds the transaction until the condition becomes true.
/// </summary>
public sealed class WaitOperation(
    string table,
    IReadOnlyList<Condition> where,
    IReadOnlyList<string> columns,
    bool untilEqual,
    IReadOnlyList<OvsdbRow> rows,
    long? timeoutMilliseconds) : OvsdbOperation
{
    public override string Op => "wait";

    public string Table { get; } = table;

    public IReadOnlyList<Condition> Where { get; } = where;

    public IReadOnlyList<string> Columns { get; } = columns;

    public bool UntilEqual { get; } = untilEqual;

    public IReadOnlyList<OvsdbRow> Rows { get; } = rows;

    public long? TimeoutMilliseconds { get; } = timeoutMilliseconds;

    private protected override void WriteMembers(Utf8JsonWriter writer)
    {
        if (TimeoutMilliseconds is { } timeout)
        {
            writer.WriteNumber("timeout", timeout);
        }

        writer.WriteString("table", Table);
        WriteWhere(writer, Where);
        WriteColumns(writer, Columns);
        writer.WriteString("until", UntilEqual ? "==" : "!=");
        writer.WritePropertyName("rows");
        writer.WriteStartArray();
        foreach (var row in Rows)
        {
            row.WriteTo(writer);
        }

        writer.WriteEndArray();
    }
}
