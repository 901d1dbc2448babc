namespace OvsMirror.Mirroring;

/// <summary>
/// Which attachments a detach removes. <see cref="Candidate"/> is a cheap pre-filter on the id alone: records it
/// rejects are never parsed (a DEL names one attachment, so it parses one record, not a thousand).
/// </summary>
internal sealed class AttachmentSelector(Func<AttachmentId, IAttachmentRecord, bool> matches, Func<AttachmentId, bool>? candidate = null,
    IReadOnlySet<string>? absentTargets = null, AttachmentId? single = null, string? targetHint = null)
{
    public Func<AttachmentId, bool>? Candidate { get; } = candidate;

    /// <summary>DEL: the one attachment selected; null for a selector of many.</summary>
    public AttachmentId? Single { get; } = single;

    /// <summary>
    /// DEL: the target (OVS port) the caller's prevResult names, where a backend may find the attachment's records without
    /// reading every record (<see cref="Ovs.PortLocator"/>); null when the caller gave none. Only a hint: the records decide.
    /// </summary>
    public string? TargetHint { get; } = targetHint;

    /// <summary>
    /// Targets (OVS port, OVN LSP names) that must still be gone when the detach commits: a backend re-reads them on
    /// each attempt, leaves out the records of any that exists again, and guards the rest with a "wait" for their
    /// absence, so a port re-created under the same name between a read and the commit keeps its attachment.
    /// </summary>
    public IReadOnlySet<string>? AbsentTargets { get; } = absentTargets;

    /// <summary>This selector without the records whose target is in <paramref name="present"/>.</summary>
    public AttachmentSelector Excluding(IReadOnlySet<string> present) => present.Count == 0
        ? this
        : new((id, record) => !present.Contains(record.Target) && Matches(id, record), Candidate, AbsentTargets);

    public bool Matches(AttachmentId id, IAttachmentRecord record) => matches(id, record);

    /// <summary>DEL: the one attachment of CNI_CONTAINERID and CNI_IFNAME; <paramref name="targetHint"/>: see <see cref="TargetHint"/>.</summary>
    public static AttachmentSelector One(AttachmentId id, string? targetHint = null) =>
        new((a, _) => a == id, a => a == id, single: id, targetHint: targetHint);

    /// <summary>CNI SPEC 1.1 §GC: this network's attachments that are not in cni.dev/valid-attachments.</summary>
    public static AttachmentSelector NotValid(string network, IReadOnlySet<AttachmentId> valid) =>
        new((id, record) => record.Network == network && !valid.Contains(id));

    /// <summary>
    /// Exactly these attachments, each only while its record still names the same target and that target is still
    /// gone (<see cref="AbsentTargets"/>): what <c>ovs-mirrorctl gc</c> found stale.
    /// </summary>
    public static AttachmentSelector Exactly(IReadOnlyDictionary<AttachmentId, string> targets) =>
        new((id, record) => targets.TryGetValue(id, out var target) && target == record.Target, targets.ContainsKey,
            targets.Values.ToHashSet(StringComparer.Ordinal));
}
