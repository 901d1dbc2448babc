namespace OvsMirror.Mirroring.Ovn;

/// <summary>CHECK (CNI SPEC §CHECK) on OVN Northbound: what differs between NB and what the config asks of this attachment. Pure.</summary>
internal static class NorthboundDiff
{
    /// <param name="rules">The LSP's mirror_rules, or null when there is no such LSP.</param>
    public static IReadOnlyList<string> Find(IReadOnlyList<Guid>? rules, IReadOnlyList<NbMirrorSnapshot> mirrors,
        IReadOnlyList<OvnMirrorRequest> requests, AttachmentId id, string lsp)
    {
        ArgumentNullException.ThrowIfNull(mirrors);
        ArgumentNullException.ThrowIfNull(requests);
        var differences = new List<string>();
        if (rules is null)
        {
            differences.Add($"logical switch port {lsp} does not exist");
        }

        foreach (var wanted in requests)
        {
            if (mirrors.FirstOrDefault(m => m.Name == wanted.Name) is not { } mirror)
            {
                differences.Add($"mirror {wanted.Name} does not exist");
                continue;
            }

            if (!mirror.Matches(wanted))
            {
                differences.Add($"mirror {wanted.Name} has {mirror.Describe()}");
            }

            if (mirror.Records?.TryGetValue(id, out var record) != true || record!.LogicalSwitchPort != lsp)
            {
                differences.Add($"mirror {wanted.Name} has no record of attachment {id} for {lsp}");
            }

            if (rules is not null && !rules.Contains(mirror.Uuid))
            {
                differences.Add($"logical switch port {lsp} does not refer to mirror {wanted.Name} (mirror_rules)");
            }
        }

        return differences;
    }
}
