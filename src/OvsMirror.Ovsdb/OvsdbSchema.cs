using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>
/// What this client needs of an RFC 7047 §3.2 &lt;database-schema&gt;: its name, version and which
/// columns each table has, so callers can refuse a feature the server's schema lacks.
/// </summary>
public sealed class OvsdbSchema
{
    private readonly Dictionary<string, HashSet<string>> _columns;

    private OvsdbSchema(string name, string version, Dictionary<string, HashSet<string>> columns)
    {
        Name = name;
        Version = version;
        _columns = columns;
    }

    public string Name { get; }

    public string Version { get; }

    public bool HasTable(string table) => _columns.ContainsKey(table);

    public bool HasColumn(string table, string column) =>
        _columns.TryGetValue(table, out var columns) && columns.Contains(column);

    public static OvsdbSchema FromJson(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("tables", out var tables) ||
            tables.ValueKind != JsonValueKind.Object)
        {
            throw new OvsdbProtocolException("schema has no \"tables\" object");
        }

        var columns = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var table in tables.EnumerateObject())
        {
            var names = new HashSet<string>(StringComparer.Ordinal) { "_uuid", "_version" };
            if (table.Value.TryGetProperty("columns", out var cols) && cols.ValueKind == JsonValueKind.Object)
            {
                foreach (var column in cols.EnumerateObject())
                {
                    names.Add(column.Name);
                }
            }

            columns[table.Name] = names;
        }

        var name = schema.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        var version = schema.TryGetProperty("version", out var v) ? v.GetString() ?? "" : "";
        return new OvsdbSchema(name, version, columns);
    }
}
