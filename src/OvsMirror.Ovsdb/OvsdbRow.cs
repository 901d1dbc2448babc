using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>RFC 7047 §5.1 &lt;row&gt;: column names to values, in the order they were given.</summary>
public sealed class OvsdbRow
{
    private readonly List<KeyValuePair<string, OvsdbValue>> _columns;

    public OvsdbRow() => _columns = [];

    private OvsdbRow(List<KeyValuePair<string, OvsdbValue>> columns) => _columns = columns;

    public IReadOnlyList<KeyValuePair<string, OvsdbValue>> Columns => _columns;

    public OvsdbRow Set(string column, OvsdbValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < _columns.Count; i++)
        {
            if (_columns[i].Key == column)
            {
                _columns[i] = KeyValuePair.Create(column, value);
                return this;
            }
        }

        _columns.Add(KeyValuePair.Create(column, value));
        return this;
    }

    public OvsdbRow Set(string column, string value) => Set(column, OvsdbAtom.FromString(value));

    public OvsdbRow Set(string column, long value) => Set(column, OvsdbAtom.FromInteger(value));

    public OvsdbRow Set(string column, bool value) => Set(column, OvsdbAtom.FromBoolean(value));

    public bool TryGet(string column, out OvsdbValue value)
    {
        foreach (var pair in _columns)
        {
            if (pair.Key == column)
            {
                value = pair.Value;
                return true;
            }
        }

        value = null!;
        return false;
    }

    public OvsdbValue Get(string column) =>
        TryGet(column, out var value) ? value : throw new KeyNotFoundException($"row has no column \"{column}\"");

    /// <summary>The row's "_uuid" (RFC 7047 §5.2: present when selected).</summary>
    public Guid Uuid => ((OvsdbAtom)Get("_uuid")).AsUuid();

    public string GetString(string column) => ((OvsdbAtom)Get(column)).AsString();

    /// <summary>A set column, whether the server sent it as a set or as a bare atom (RFC 7047 §5.1).</summary>
    public IReadOnlyList<OvsdbAtom> GetAtoms(string column) => Get(column).AsAtoms();

    public OvsdbMap GetMap(string column) =>
        Get(column) as OvsdbMap ?? throw new OvsdbProtocolException($"column \"{column}\" is not a map");

    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var pair in _columns)
        {
            writer.WritePropertyName(pair.Key);
            pair.Value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    public static OvsdbRow FromJson(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new OvsdbProtocolException($"row is not an object: {element.GetRawText()}");
        }

        var columns = new List<KeyValuePair<string, OvsdbValue>>();
        foreach (var property in element.EnumerateObject())
        {
            columns.Add(KeyValuePair.Create(property.Name, OvsdbValue.FromJson(property.Value)));
        }

        return new OvsdbRow(columns);
    }
}
