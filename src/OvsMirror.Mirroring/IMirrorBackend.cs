namespace OvsMirror.Mirroring;

/// <summary>
/// Mirrors in one database, on one connection, for one command, with one deadline. Opened by
/// <see cref="IMirrorBackendConfig.Open"/>, so it already knows the mirrors its config asks for. Every change is one
/// guarded transaction, re-read and retried when the state moved (<see cref="GuardedCommit"/>, <see cref="OptimisticRetry"/>).
/// </summary>
internal interface IMirrorBackend
{
    /// <summary>ADD: makes <paramref name="target"/> a member of every mirror of the config, recording the attachment. Returns the attempts it took.</summary>
    int Attach(AttachmentId id, string network, PodIdentity? pod, string target);

    /// <summary>
    /// DEL, GC: undoes the selected attachments from their records, then removes the owned mirrors left empty.
    /// Idempotent. With <paramref name="dryRun"/> it only reads and says what would go.
    /// </summary>
    DetachOutcome Detach(AttachmentSelector selector, bool dryRun = false);

    /// <summary>GC: owned mirrors with no attachment left.</summary>
    IReadOnlyList<EmptyMirror> FindEmptyOwnedMirrors();

    /// <summary>Removes an owned mirror if it still has no attachment; false when someone joined or it is gone.</summary>
    bool RemoveIfEmpty(EmptyMirror mirror);

    /// <summary>CHECK: how the attachment differs from what the config asks for; empty when it does not.</summary>
    IReadOnlyList<string> Diff(AttachmentId id, string network, string target);

    /// <summary>STATUS: throws a <see cref="Cni.CniException"/> when the backend cannot serve ADD.</summary>
    void Probe();

    /// <summary>Operator CLI: every mirror of this scope with its members, in words (list, gc, doctor).</summary>
    MirrorInventory Inventory();

    /// <summary>GC: removes a record this version cannot read, only if it still holds exactly that value.</summary>
    bool RemoveRecord(UnparseableRecord record);

    /// <summary>Makes the changes committed so far apply to flows already established (a no-op where none is needed).</summary>
    void ApplyToFlows();
}
