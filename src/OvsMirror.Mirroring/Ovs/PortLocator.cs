using OvsMirror.Mirroring.Config;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Where an attachment's records are, kept on the attached Port's own external_ids so a DEL finds them without reading
/// Mirror:external_ids, which holds every member's record and grows with them (188 KB at 1,000 members).
/// One entry per mirror the attachment joined: key "ovs-mirror/l/CONTAINERID/IFNAME/MIRROR", value the record exactly as
/// stored on that mirror. A DEL then names the mirror by (name, "includes" {key: record}) — RFC 7047 §5.1 "includes" on a
/// map needs the value, which is why a copy is kept — and removes the record key alone (§5.1 "delete" of a set of keys).
/// <para>The value is <see cref="FullRead"/> when removing the record needs the mirror's other records (a remote mirror,
/// whose emptiness depends on its remote definition; a producer of all traffic or of VLANs, or an RSPAN consumer, after which
/// the mirror-wide columns are recomputed): such a DEL reads the bridge's mirrors as before.</para>
/// <para>ovs-vswitchd does not use Port:external_ids. The entries go with the Port row (ovs-cni deletes it after our DEL);
/// a DEL with no entry for its attachment (a record written before this version, no prevResult, the port already gone)
/// reads the bridge's mirrors as before, so records without a locator are still removed.</para>
/// </summary>
internal static class PortLocator
{
    public const string KeyPrefix = "ovs-mirror/l/";

    /// <summary>The value of an entry whose removal must read the mirror's records (see the type's remarks).</summary>
    public const string FullRead = "full";

    /// <summary>CNI_CONTAINERID and CNI_IFNAME contain no '/', so the mirror's name (any string) is the rest.</summary>
    public static string Key(AttachmentId id, string mirrorName) => KeyPrefix + id.ContainerId + "/" + id.IfName + "/" + mirrorName;

    public static string Value(AttachmentRecord record, bool remote) =>
        remote || record.SelectsAllTraffic || record.Output == MirrorOutputKind.Vlan ? FullRead : record.Format();

    /// <summary>The entries of a Port's external_ids, per attachment.</summary>
    public static IReadOnlyList<PortLocatorEntry> Parse(OvsdbMap externalIds)
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        var entries = new List<PortLocatorEntry>();
        foreach (var (key, value) in externalIds.Pairs)
        {
            var k = key.AsString();
            if (!k.StartsWith(KeyPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = k.AsSpan(KeyPrefix.Length);
            var first = rest.IndexOf('/');
            if (first <= 0)
            {
                continue;
            }

            var second = rest[(first + 1)..].IndexOf('/');
            if (second <= 0 || first + 1 + second == rest.Length - 1)
            {
                continue;
            }

            var id = new AttachmentId(rest[..first].ToString(), rest.Slice(first + 1, second).ToString());
            entries.Add(new PortLocatorEntry(id, rest[(first + second + 2)..].ToString(), k, value.AsString()));
        }

        return entries;
    }
}
