using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// A detach transaction, and where in its results the emptiness probes start: probe i tells whether
/// <see cref="ProbedMirrors"/>[i] was left with no attachment by this transaction.
/// </summary>
internal sealed class DetachPlan(Transaction transaction, int firstProbe, IReadOnlyList<MirrorSnapshot> probedMirrors)
{
    public Transaction Transaction { get; } = transaction;

    public int FirstProbe { get; } = firstProbe;

    public IReadOnlyList<MirrorSnapshot> ProbedMirrors { get; } = probedMirrors;

    public bool IsEmpty => Transaction.Operations.Count == 0;

    /// <summary>The owned mirrors this transaction left empty, read from its committed result.</summary>
    public IEnumerable<MirrorSnapshot> EmptiedMirrors(TransactionResult result)
    {
        for (var i = 0; i < ProbedMirrors.Count; i++)
        {
            if (result[FirstProbe + i].Rows.Count > 0)
            {
                yield return ProbedMirrors[i];
            }
        }
    }
}
