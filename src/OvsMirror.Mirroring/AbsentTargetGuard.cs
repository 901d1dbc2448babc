using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring;

/// <summary>
/// <see cref="AttachmentSelector.AbsentTargets"/> for a backend: which of them exist again (one read), and a "wait"
/// per target still gone, appended to the detach's transaction (RFC 7047 §5.2.6: until "==" with no rows, so the
/// whole transaction aborts if one was re-created meanwhile; the detach then re-reads and leaves it out).
/// </summary>
internal static class AbsentTargetGuard
{
    /// <returns>The selector without the targets that exist again, and the targets still absent.</returns>
    public static (AttachmentSelector Effective, IReadOnlyList<string> Absent) Narrow(OvsdbConnection connection, string database,
        string table, string nameColumn, AttachmentSelector selector)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(selector);
        if (selector.AbsentTargets is not { Count: > 0 } targets)
        {
            return (selector, []);
        }

        var names = targets.Order(StringComparer.Ordinal).ToList();
        var read = new Transaction(database);
        foreach (var name in names)
        {
            read.Add(new SelectOperation(table, Where.Eq(nameColumn, name), [nameColumn]));
        }

        var results = connection.Transact(read).ThrowIfAnyFailed().Results;
        var present = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (results[i].Rows.Count > 0)
            {
                present.Add(names[i]);
            }
        }

        return (selector.Excluding(present), [.. names.Where(n => !present.Contains(n))]);
    }

    public static void Append(Transaction transaction, string table, string nameColumn, IReadOnlyList<string> absent)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(absent);
        foreach (var name in absent)
        {
            transaction.Add(Guards.Absent(table, Where.Eq(nameColumn, name)));
        }
    }
}
