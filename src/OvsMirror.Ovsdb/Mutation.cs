using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>RFC 7047 §5.1 &lt;mutation&gt;: [&lt;column&gt;, &lt;mutator&gt;, &lt;value&gt;].</summary>
public sealed class Mutation
{
    private Mutation(string column, string mutator, OvsdbValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        ArgumentNullException.ThrowIfNull(value);
        Column = column;
        Mutator = mutator;
        Value = value;
    }

    public string Column { get; }

    public string Mutator { get; }

    public OvsdbValue Value { get; }

    /// <summary>Adds elements to a set, or pairs to a map (a key already present keeps its value). Atomic in the server.</summary>
    public static Mutation Insert(string column, OvsdbValue value) => new(column, "insert", value);

    /// <summary>Removes elements from a set; for a map, keys (given as a set) or exact pairs (given as a map).</summary>
    public static Mutation Delete(string column, OvsdbValue value) => new(column, "delete", value);

    public static Mutation Add(string column, long value) => new(column, "+=", OvsdbAtom.FromInteger(value));

    public static Mutation Subtract(string column, long value) => new(column, "-=", OvsdbAtom.FromInteger(value));

    public static Mutation Multiply(string column, long value) => new(column, "*=", OvsdbAtom.FromInteger(value));

    public static Mutation Divide(string column, long value) => new(column, "/=", OvsdbAtom.FromInteger(value));

    public static Mutation Remainder(string column, long value) => new(column, "%=", OvsdbAtom.FromInteger(value));

    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteStringValue(Column);
        writer.WriteStringValue(Mutator);
        Value.WriteTo(writer);
        writer.WriteEndArray();
    }
}
