using OvsMirror.Cni;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// The transaction of <see cref="LocatedDetachPlanner"/> and how to read its result: the mutate of entry i is operation
/// <see cref="FirstMutate"/> + i, its emptiness probe <see cref="FirstProbe"/> + i.
/// </summary>
internal sealed class LocatedDetachPlan(Transaction transaction, IReadOnlyList<PortLocatorEntry> entries, IReadOnlyList<AttachmentRecord> records,
    int firstMutate, int firstProbe, IReadOnlyList<int> remoteGuards)
{
    /// <summary>What a failed "no tunnel port" guard means: a located mirror is remote, so the full read must decide.</summary>
    public static readonly CniException RemoteMirror = new(CniErrorCode.IoFailure, "a located mirror is remote");

    /// <summary>The "no tunnel port" guards, as terminal guards whose failure is <see cref="RemoteMirror"/>.</summary>
    public IReadOnlyDictionary<int, CniException> TerminalGuards { get; } = ToTerminal(remoteGuards);

    public Transaction Transaction { get; } = transaction;

    public IReadOnlyList<PortLocatorEntry> Entries { get; } = entries;

    /// <summary>Entry i's record, parsed.</summary>
    public IReadOnlyList<AttachmentRecord> Records { get; } = records;

    public int FirstMutate { get; } = firstMutate;

    public int FirstProbe { get; } = firstProbe;

    private static Dictionary<int, CniException> ToTerminal(IReadOnlyList<int> guards)
    {
        var terminal = new Dictionary<int, CniException>(guards.Count);
        foreach (var index in guards)
        {
            terminal[index] = RemoteMirror;
        }

        return terminal;
    }

    /// <summary>The attachments whose record was on its mirror as located, and so was removed.</summary>
    public IEnumerable<DetachedAttachment> Removed(TransactionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        for (var i = 0; i < Entries.Count; i++)
        {
            if (result[FirstMutate + i].Count > 0)
            {
                yield return new DetachedAttachment(Entries[i].MirrorName, Entries[i].Id, Records[i]);
            }
        }
    }

    /// <summary>Whether every entry's record was found as located; when not, the attachment may have records elsewhere.</summary>
    public bool AllFound(TransactionResult result) => Removed(result).Count() == Entries.Count;

    /// <summary>The mirrors of <paramref name="bridge"/> that a removed entry's mirror left owned and empty.</summary>
    public IEnumerable<EmptyMirror> EmptiedMirrors(TransactionResult result, BridgeSnapshot bridge)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(bridge);
        for (var i = 0; i < Entries.Count; i++)
        {
            if (result[FirstMutate + i].Count is not > 0)
            {
                continue;
            }

            foreach (var row in result[FirstProbe + i].Rows.Where(r => bridge.Holds(r.Uuid)))
            {
                // Remote mirrors are never located (PortLocator.FullRead), so there is no tunnel port to remove.
                yield return new EmptyMirror(Entries[i].MirrorName, row.Uuid, OwnerMarker.EmptyOwnedExternalIds, null);
            }
        }
    }
}
