namespace OvsMirror.Mirroring;

/// <summary>
/// Which attachments a detach removes. <see cref="Candidate"/> is a cheap pre-filter on the id alone: records it
/// rejects are never parsed (a DEL names one attachment, so it parses one record, not a thousand).
/// </summary>
internal sealed class AttachmentSelector(Func<AttachmentId, IAttachmentRecord, bool> matches, Func<AttachmentId, bool>? candidate = null)
{
    public Func<AttachmentId, bool>? Candidate { get; } = candidate;

    public bool Matches(AttachmentId id, IAttachmentRecord record) => matches(id, record);

    /// <summary>DEL: the one attachment of CNI_CONTAINERID and CNI_IFNAME.</summary>
    public static AttachmentSelector One(AttachmentId id) => new((a, _) => a == id, a => a == id);

    /// <summary>CNI SPEC 1.1 §GC: this network's attachments that are not in cni.dev/valid-attachments.</summary>
    public static AttachmentSelector NotValid(string network, IReadOnlySet<AttachmentId> valid) =>
        new((id, record) => record.Network == network && !valid.Contains(id));

    /// <summary>Exactly these attachments, each only while its record still names the same target.</summary>
    public static AttachmentSelector Exactly(IReadOnlyDictionary<AttachmentId, string> targets) =>
        new((id, record) => targets.TryGetValue(id, out var target) && target == record.Target, targets.ContainsKey);
}
