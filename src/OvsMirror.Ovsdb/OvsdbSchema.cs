using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>
/// What this client needs of an RFC 7047 §3.2 &lt;database-schema&gt;: its name, version and which
/// columns each table has, so callers can refuse a feature the server's schema lacks.
/// </summary>
public sealed class OvsdbSchema
{
    private readonly Dictionary<string, HashSet<string>> _columns;
    private readonly Dictionary<(string Table, string Column), HashSet<string>> _stringEnums;

    private OvsdbSchema(string name, string version, Dictionary<string, HashSet<string>> columns,
        Dictionary<(string Table, string Column), HashSet<string>> stringEnums)
    {
        Name = name;
        Version = version;
        _columns = columns;
        _stringEnums = stringEnums;
    }

    public string Name { get; }

    public string Version { get; }

    public bool HasTable(string table) => _columns.ContainsKey(table);

    public bool HasColumn(string table, string column) =>
        _columns.TryGetValue(table, out var columns) && columns.Contains(column);

    /// <summary>
    /// The values a string column's key may take (RFC 7047 §3.2 &lt;base-type&gt; "enum"), or null when the column
    /// does not exist or takes any string. Newer schemas widen enums (OVN NB Mirror.filter gained "both").
    /// </summary>
    public IReadOnlySet<string>? StringEnum(string table, string column) =>
        _stringEnums.TryGetValue((table, column), out var values) ? values : null;

    public static OvsdbSchema FromJson(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("tables", out var tables) ||
            tables.ValueKind != JsonValueKind.Object)
        {
            throw new OvsdbProtocolException("schema has no \"tables\" object");
        }

        var columns = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var enums = new Dictionary<(string Table, string Column), HashSet<string>>();
        foreach (var table in tables.EnumerateObject())
        {
            var names = new HashSet<string>(StringComparer.Ordinal) { "_uuid", "_version" };
            if (table.Value.TryGetProperty("columns", out var cols) && cols.ValueKind == JsonValueKind.Object)
            {
                foreach (var column in cols.EnumerateObject())
                {
                    names.Add(column.Name);
                    if (ReadStringEnum(column.Value) is { } values)
                    {
                        enums[(table.Name, column.Name)] = values;
                    }
                }
            }

            columns[table.Name] = names;
        }

        var name = schema.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        var version = schema.TryGetProperty("version", out var v) ? v.GetString() ?? "" : "";
        return new OvsdbSchema(name, version, columns, enums);
    }

    /// <summary>{"type": {"key": {"type": "string", "enum": "x" | ["set", ["x", ...]]}}} → the enum's strings.</summary>
    private static HashSet<string>? ReadStringEnum(JsonElement column)
    {
        if (!column.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.Object ||
            !type.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.Object ||
            !key.TryGetProperty("enum", out var values))
        {
            return null;
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        if (values.ValueKind == JsonValueKind.String)
        {
            set.Add(values.GetString()!);
        }
        else if (values.ValueKind == JsonValueKind.Array && values.GetArrayLength() == 2 &&
                 values[1].ValueKind == JsonValueKind.Array)
        {
            foreach (var value in values[1].EnumerateArray())
            {
                if (value.ValueKind == JsonValueKind.String)
                {
                    set.Add(value.GetString()!);
                }
            }
        }

        return set.Count > 0 ? set : null;
    }
}
