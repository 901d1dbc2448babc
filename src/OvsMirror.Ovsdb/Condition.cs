using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>RFC 7047 §5.1 &lt;condition&gt;: [&lt;column&gt;, &lt;function&gt;, &lt;value&gt;].</summary>
public sealed class Condition
{
    public Condition(string column, string function, OvsdbValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        ArgumentNullException.ThrowIfNull(value);
        if (function is not ("<" or "<=" or "==" or "!=" or ">=" or ">" or "includes" or "excludes"))
        {
            throw new ArgumentException($"unknown condition function \"{function}\" (RFC 7047 §5.1)", nameof(function));
        }

        Column = column;
        Function = function;
        Value = value;
    }

    public string Column { get; }

    public string Function { get; }

    public OvsdbValue Value { get; }

    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteStringValue(Column);
        writer.WriteStringValue(Function);
        Value.WriteTo(writer);
        writer.WriteEndArray();
    }
}
