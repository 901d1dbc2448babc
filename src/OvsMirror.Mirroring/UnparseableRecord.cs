namespace OvsMirror.Mirroring;

/// <summary>
/// An attachment record (a key <see cref="AttachmentId.KeyPrefix"/>...) whose value this version cannot read. GC removes it
/// with a mutate "delete" of exactly this key and value (RFC 7047 §5.1: a map delete by pair removes nothing if the value moved).
/// </summary>
internal sealed record UnparseableRecord(string Mirror, Guid MirrorUuid, string Key, string Value);
