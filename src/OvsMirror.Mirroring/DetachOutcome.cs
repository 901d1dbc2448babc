namespace OvsMirror.Mirroring;

/// <summary>What a detach did (or, in a dry run, would do).</summary>
internal sealed class DetachOutcome(bool changed, IReadOnlyList<DetachedAttachment> detached)
{
    public static DetachOutcome None { get; } = new(false, []);

    /// <summary>Whether the database changed (always false in a dry run).</summary>
    public bool Changed { get; } = changed;

    public IReadOnlyList<DetachedAttachment> Detached { get; } = detached;
}
