using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring;

/// <summary>
/// The "wait" preconditions of RFC 7047 §5.2.6, with "timeout": 0 so a precondition that does not
/// hold fails the transaction at once with "timed out" instead of blocking in the server.
/// </summary>
internal static class Guards
{
    /// <summary>RFC 7047 §3.2: every row has a "_uuid" column, in every database.</summary>
    private static readonly string[] UuidColumn = ["_uuid"];

    /// <summary>At least one row matches <paramref name="where"/> (until "!=" an empty result).</summary>
    public static WaitOperation Exists(string table, IReadOnlyList<Condition> where) =>
        new(table, where, UuidColumn, untilEqual: false, rows: [], timeoutMilliseconds: 0);

    /// <summary>No row matches <paramref name="where"/>.</summary>
    public static WaitOperation Absent(string table, IReadOnlyList<Condition> where) =>
        new(table, where, UuidColumn, untilEqual: true, rows: [], timeoutMilliseconds: 0);

    /// <summary>The one row matching <paramref name="where"/> still has exactly these column values.</summary>
    public static WaitOperation Unchanged(string table, IReadOnlyList<Condition> where, OvsdbRow expected) =>
        new(table, where, [.. expected.Columns.Select(c => c.Key)], untilEqual: true, rows: [expected], timeoutMilliseconds: 0);
}
