using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>A detach's one transaction (null: nothing to do), the owned mirrors it leaves with no attachment, and what leaves.</summary>
internal sealed class NbDetachPlan(Transaction? transaction, IReadOnlyList<Guid> emptiedMirrors, IReadOnlyList<DetachedAttachment> detached)
{
    public Transaction? Transaction { get; } = transaction;

    /// <summary>Owned mirrors with no record left once it commits: removed afterwards, guarded (<see cref="NorthboundCleanupPlanner"/>).</summary>
    public IReadOnlyList<Guid> EmptiedMirrors { get; } = emptiedMirrors;

    public IReadOnlyList<DetachedAttachment> Detached { get; } = detached;
}
