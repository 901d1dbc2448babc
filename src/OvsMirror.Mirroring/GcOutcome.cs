namespace OvsMirror.Mirroring;

/// <summary>What a GC removed: attachments, and owned mirrors that had none left.</summary>
internal sealed class GcOutcome(IReadOnlyList<DetachedAttachment> detached, IReadOnlyList<EmptyMirror> removedMirrors)
{
    public IReadOnlyList<DetachedAttachment> Detached { get; } = detached;

    public IReadOnlyList<EmptyMirror> RemovedMirrors { get; } = removedMirrors;
}
