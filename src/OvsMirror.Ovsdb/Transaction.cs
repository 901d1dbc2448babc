using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>
/// The operations of one RFC 7047 §4.1.3 "transact" request. The server applies them all or none:
/// put preconditions (<see cref="WaitAbsent"/>, <see cref="WaitEquals"/>) first, then the changes.
/// </summary>
public sealed class Transaction(string database)
{
    private readonly List<OvsdbOperation> _operations = [];

    public string Database { get; } = database;

    public IReadOnlyList<OvsdbOperation> Operations => _operations;

    public Transaction Add(OvsdbOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        _operations.Add(operation);
        return this;
    }

    public Transaction Insert(string table, OvsdbRow row, string? uuidName = null) =>
        Add(new InsertOperation(table, row, uuidName));

    public Transaction Select(string table, IReadOnlyList<Condition> where, params string[] columns) =>
        Add(new SelectOperation(table, where, columns.Length == 0 ? null : columns));

    public Transaction Update(string table, IReadOnlyList<Condition> where, OvsdbRow row) =>
        Add(new UpdateOperation(table, where, row));

    public Transaction Mutate(string table, IReadOnlyList<Condition> where, params Mutation[] mutations) =>
        Add(new MutateOperation(table, where, mutations));

    public Transaction Delete(string table, IReadOnlyList<Condition> where) => Add(new DeleteOperation(table, where));

    public Transaction Comment(string comment) => Add(new CommentOperation(comment));

    /// <summary>
    /// RFC 7047 §5.2.6: fail at once with "timed out" unless no row of <paramref name="table"/> matches
    /// <paramref name="where"/>. The guard of every create-if-absent.
    /// </summary>
    public Transaction WaitAbsent(string table, IReadOnlyList<Condition> where) =>
        Add(new WaitOperation(table, where, ["_uuid"], untilEqual: true, rows: [], timeoutMilliseconds: 0));

    /// <summary>
    /// RFC 7047 §5.2.6: fail at once with "timed out" unless the rows matching <paramref name="where"/>,
    /// projected onto <paramref name="columns"/>, are exactly <paramref name="rows"/>.
    /// </summary>
    public Transaction WaitEquals(string table, IReadOnlyList<Condition> where, IReadOnlyList<string> columns,
        params OvsdbRow[] rows) =>
        Add(new WaitOperation(table, where, columns, untilEqual: true, rows: rows, timeoutMilliseconds: 0));

    /// <summary>Writes the "params" of the transact request: [db-name, operation*].</summary>
    public void WriteParams(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteStringValue(Database);
        foreach (var operation in _operations)
        {
            operation.WriteTo(writer);
        }

        writer.WriteEndArray();
    }
}
