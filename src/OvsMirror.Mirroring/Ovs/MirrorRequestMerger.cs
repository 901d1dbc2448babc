using static OvsMirror.Mirroring.Config.ConfigValueReader;

using OvsMirror.Mirroring.Config;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Merges the entries of one attachment (the NAD's, then the pod's) that name the same mirror, so the planner sees
/// one request per mirror name (DESIGN §2). Conflicts are code 7 and name the mirror: mirror names are identifiers.
/// </summary>
internal static class MirrorRequestMerger
{
    /// <summary>One request per name, in order of first appearance.</summary>
    public static List<MirrorRequest> Merge(IEnumerable<MirrorRequest> requests)
    {
        var merged = new List<MirrorRequest>();
        var indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (indexByName.TryGetValue(request.Name, out int index))
            {
                merged[index] = MergePair(merged[index], request);
            }
            else
            {
                indexByName.Add(request.Name, merged.Count);
                merged.Add(request);
            }
        }

        return merged;
    }

    private static MirrorRequest MergePair(MirrorRequest first, MirrorRequest second)
    {
        string name = first.Name;
        if (first.Role != second.Role)
        {
            // DESIGN §2 (invalid): one attachment that is both source and output of the same mirror.
            throw Invalid($"mirror {name}: one attachment cannot be both source and output of the same mirror");
        }

        var source = first.Source == ConfigSource.Nad || second.Source == ConfigSource.Nad
            ? ConfigSource.Nad
            : ConfigSource.PodArgs;

        if (first.Role == MirrorRole.Consumer)
        {
            // One port is one output: two output entries of a mirror must say the same thing.
            if (first.OutputKind != second.OutputKind || first.OutputVlan != second.OutputVlan || first.Snaplen != second.Snaplen)
            {
                throw Invalid($"mirror {name}: two output entries differ in output, outputVlan or snaplen");
            }

            return new MirrorRequest(name, MirrorRole.Consumer, MirrorSelection.None, [], first.OutputKind, first.OutputVlan, first.Snaplen, source);
        }

        return new MirrorRequest(
            name,
            MirrorRole.Producer,
            first.Selection | second.Selection,
            MergeVlans(first, second),
            MirrorOutputKind.None,
            null,
            MergeSnaplen(first, second),
            source,
            MergeRemote(first, second));
    }

    /// <summary>
    /// The union of the listed VLANs. A "vlan" selection without a list means the port's own tag, which no union can
    /// express next to a list, so that mix is refused.
    /// </summary>
    private static int[] MergeVlans(MirrorRequest first, MirrorRequest second)
    {
        bool firstOwnTag = first.Selection.HasFlag(MirrorSelection.Vlan) && first.Vlans.Count == 0;
        bool secondOwnTag = second.Selection.HasFlag(MirrorSelection.Vlan) && second.Vlans.Count == 0;
        if ((firstOwnTag && second.Vlans.Count > 0) || (secondOwnTag && first.Vlans.Count > 0))
        {
            throw Invalid(
                $"mirror {first.Name}: one entry selects the VLAN of the pod's own port and another lists vlans; list the VLANs in both");
        }

        return [.. new SortedSet<int>(first.Vlans.Concat(second.Vlans))];
    }

    /// <summary>The remote output is a property of the whole mirror: two entries that both give one must agree.</summary>
    private static RemoteOutput? MergeRemote(MirrorRequest first, MirrorRequest second)
    {
        if (first.Remote is { } a && second.Remote is { } b && a != b)
        {
            throw Invalid($"mirror {first.Name}: entries give different remote outputs");
        }

        return first.Remote ?? second.Remote;
    }

    /// <summary>snaplen is a property of the whole mirror: two entries that both give one must agree.</summary>
    private static int? MergeSnaplen(MirrorRequest first, MirrorRequest second)
    {
        if (first.Snaplen is int a && second.Snaplen is int b && a != b)
        {
            throw Invalid($"mirror {first.Name}: entries give different snaplen values ({a} and {b})");
        }

        return first.Snaplen ?? second.Snaplen;
    }
}
