namespace OvsMirror.Mirroring;

/// <summary>
/// The CNI identity of an attachment: (CNI_CONTAINERID, CNI_IFNAME), the pair CNI SPEC 1.1 §GC lists
/// in cni.dev/valid-attachments. Stored as the key of its record in Mirror:external_ids.
/// </summary>
internal readonly record struct AttachmentId(string ContainerId, string IfName)
{
    public const string KeyPrefix = "ovs-mirror/a/";

    public string Key => KeyPrefix + ContainerId + "/" + IfName;

    public static bool TryParseKey(string key, out AttachmentId id)
    {
        id = default;
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        // CNI_IFNAME cannot contain '/', so the last '/' separates the two parts.
        var rest = key.AsSpan(KeyPrefix.Length);
        var slash = rest.LastIndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1)
        {
            return false;
        }

        id = new AttachmentId(rest[..slash].ToString(), rest[(slash + 1)..].ToString());
        return true;
    }

    public override string ToString() => ContainerId + "/" + IfName;
}
