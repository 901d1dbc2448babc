using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>
/// The result of one operation (RFC 7047 §5.2): "uuid" for insert, "rows" for select, "count" for
/// update, mutate and delete, or an error. <see cref="WasExecuted"/> is false for the JSON null the
/// server sends for operations after a failed one.
/// </summary>
public sealed class OperationResult
{
    private static readonly IReadOnlyList<OvsdbRow> NoRows = [];

    private OperationResult()
    {
    }

    public bool WasExecuted { get; private init; } = true;

    public string? Error { get; private init; }

    public string? Details { get; private init; }

    public Guid? Uuid { get; private init; }

    public long? Count { get; private init; }

    public IReadOnlyList<OvsdbRow> Rows { get; private init; } = NoRows;

    public bool Failed => Error is not null;

    internal static OperationResult NotExecuted { get; } = new() { WasExecuted = false };

    public static OperationResult FromJson(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return NotExecuted;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new OvsdbProtocolException($"operation result is not an object: {element.GetRawText()}");
        }

        string? error = null, details = null;
        Guid? uuid = null;
        long? count = null;
        IReadOnlyList<OvsdbRow> rows = NoRows;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "error" when property.Value.ValueKind == JsonValueKind.String:
                    error = property.Value.GetString();
                    break;
                case "details" when property.Value.ValueKind == JsonValueKind.String:
                    details = property.Value.GetString();
                    break;
                case "uuid":
                    uuid = OvsdbAtom.FromJson(property.Value).AsUuid();
                    break;
                case "count" when property.Value.ValueKind == JsonValueKind.Number:
                    count = property.Value.GetInt64();
                    break;
                case "rows" when property.Value.ValueKind == JsonValueKind.Array:
                    var list = new List<OvsdbRow>(property.Value.GetArrayLength());
                    foreach (var row in property.Value.EnumerateArray())
                    {
                        list.Add(OvsdbRow.FromJson(row));
                    }

                    rows = list;
                    break;
            }
        }

        return new OperationResult { Error = error, Details = details, Uuid = uuid, Count = count, Rows = rows };
    }
}
