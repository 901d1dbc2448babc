using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>
/// Reads every OVN Northbound mirror for the operator CLI, with the Logical_Switch_Ports that refer to it
/// (mirror_rules). One round trip; never on the CNI path.
/// </summary>
internal static class NorthboundInventoryReader
{
    public static MirrorInventory Read(OvsdbConnection connection)
    {
        var result = connection.Transact(new Transaction(NorthboundSchema.Database)
                .Add(new SelectOperation(NorthboundSchema.Mirror, Where.All, NbMirrorSnapshot.FullColumns))
                .Add(new SelectOperation(NorthboundSchema.LogicalSwitchPort, Where.All, [NorthboundSchema.Name, NorthboundSchema.MirrorRules])))
            .ThrowIfAnyFailed();
        var lsps = result[1].Rows.Select(r => (Name: r.GetString(NorthboundSchema.Name),
            Rules: r.GetAtoms(NorthboundSchema.MirrorRules).Select(a => a.AsUuid()).ToHashSet())).ToList();
        var names = lsps.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var mirrors = result[0].Rows.Select(r => Describe(new NbMirrorSnapshot(r), lsps.Where(l => l.Rules.Contains(r.Uuid)).Select(l => l.Name), names));
        return new MirrorInventory("ovn", "OVN Northbound", true, [.. mirrors.OrderBy(m => m.Name, StringComparer.Ordinal)], null);
    }

    private static InventoryMirror Describe(NbMirrorSnapshot mirror, IEnumerable<string> referringLsps, HashSet<string> lspNames)
    {
        var members = new List<InventoryMember>();
        var unparseable = new List<UnparseableRecord>();
        foreach (var (key, value) in mirror.ExternalIds?.Pairs ?? [])
        {
            if (!AttachmentId.TryParseKey(key.AsString(), out var id))
            {
                continue;
            }

            if (OvnAttachmentRecord.TryParse(value.AsString()) is { } record)
            {
                members.Add(new InventoryMember(id, "producer", record, !lspNames.Contains(record.LogicalSwitchPort)));
            }
            else
            {
                unparseable.Add(new UnparseableRecord(mirror.Name, mirror.Uuid, key.AsString(), value.AsString()));
            }
        }

        var lsps = referringLsps.Order(StringComparer.Ordinal).ToList();
        return new InventoryMirror
        {
            Name = mirror.Name,
            Uuid = mirror.Uuid,
            Owned = mirror.Owned,
            Selection = mirror.Filter + (lsps.Count > 0 ? " of " + string.Join(',', lsps) : ""),
            Output = $"{mirror.Type} index {mirror.Index} to {mirror.Sink}",
            HasOutput = true,
            Members = [.. members.OrderBy(m => m.Id.ToString(), StringComparer.Ordinal)],
            UnparseableRecords = unparseable,
        };
    }
}
