namespace OvsMirror.Ovsdb;

/// <summary>Builds the "where" clauses of RFC 7047 §5.2 operations: a row matches when every condition holds.</summary>
public static class Where
{
    /// <summary>No condition: every row of the table.</summary>
    public static Condition[] All => [];

    public static Condition[] Eq(string column, string value) => [new(column, "==", OvsdbAtom.FromString(value))];

    public static Condition[] Eq(string column, OvsdbValue value) => [new(column, "==", value)];

    /// <summary>The row whose _uuid is <paramref name="uuid"/> (RFC 7047 §5.2: every table has "_uuid").</summary>
    public static Condition[] Uuid(Guid uuid) => [new("_uuid", "==", OvsdbAtom.FromUuid(uuid))];

    /// <summary>RFC 7047 §5.1 "includes": the set or map column contains every element of <paramref name="value"/>.</summary>
    public static Condition[] Includes(string column, OvsdbValue value) => [new(column, "includes", value)];

    public static Condition[] Excludes(string column, OvsdbValue value) => [new(column, "excludes", value)];
}
