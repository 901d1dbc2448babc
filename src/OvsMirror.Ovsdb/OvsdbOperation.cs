using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>One operation of an RFC 7047 §5.2 "transact" request.</summary>
public abstract class OvsdbOperation
{
    private protected OvsdbOperation()
    {
    }

    /// <summary>The value of the "op" member, for example "insert".</summary>
    public abstract string Op { get; }

    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("op", Op);
        WriteMembers(writer);
        writer.WriteEndObject();
    }

    private protected abstract void WriteMembers(Utf8JsonWriter writer);

    private protected static void WriteWhere(Utf8JsonWriter writer, IReadOnlyList<Condition> where)
    {
        writer.WritePropertyName("where");
        writer.WriteStartArray();
        foreach (var condition in where)
        {
            condition.WriteTo(writer);
        }

        writer.WriteEndArray();
    }

    private protected static void WriteColumns(Utf8JsonWriter writer, IReadOnlyList<string> columns)
    {
        writer.WritePropertyName("columns");
        writer.WriteStartArray();
        foreach (var column in columns)
        {
            writer.WriteStringValue(column);
        }

        writer.WriteEndArray();
    }
}
