namespace OvsMirror.Mirroring;

/// <summary>One attachment a detach removed (or, in a dry run, would remove) from one mirror.</summary>
internal sealed record DetachedAttachment(string Mirror, AttachmentId Id, IAttachmentRecord Record);
