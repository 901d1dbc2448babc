namespace OvsMirror.Mirroring;

/// <summary>One attachment of a mirror, from its record, and whether what it made a member still exists.</summary>
internal sealed record InventoryMember(AttachmentId Id, string Role, IAttachmentRecord Record, bool TargetGone);
