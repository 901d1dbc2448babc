using System.Globalization;
using OvsMirror.Cni;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>
/// Plans an ADD on OVN Northbound as ONE transaction: the declarative form of <c>ovn-nbctl mirror-add</c> +
/// <c>lsp-attach-mirror</c>. Guards (RFC 7047 §5.2.6, timeout 0) pin what it was planned from: the LSP still exists,
/// and each joined mirror still has the definition read. Membership changes are "mutate" inserts. Pure.
/// </summary>
internal static class NorthboundAttachPlanner
{
    public static NbAttachPlan Plan(NbAttachSnapshot snapshot, AttachmentId id, string lsp, OvnAttachmentRecord record,
        IReadOnlyList<OvnMirrorRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(requests);
        if (!snapshot.LogicalSwitchPortExists)
        {
            throw LspNotFound(lsp);
        }

        var value = record.Format();
        var byLsp = Where.Eq(NorthboundSchema.Name, lsp);

        // Guard 0: the LSP still exists (a pod deleted meanwhile is a final answer, not a retry).
        var txn = new Transaction(NorthboundSchema.Database).Add(Guards.Exists(NorthboundSchema.LogicalSwitchPort, byLsp));
        var writes = new List<OvsdbOperation>();
        var created = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (snapshot.Mirrors[i] is not { } mirror)
            {
                var uuidName = "m" + created++.ToString(CultureInfo.InvariantCulture);
                writes.Add(new InsertOperation(NorthboundSchema.Mirror, NbMirrorSnapshot.Definition(request)
                    .Set(NorthboundSchema.ExternalIds, OvsdbMap.OfStrings(
                        [KeyValuePair.Create(OwnerMarker.Key, OwnerMarker.Value), KeyValuePair.Create(id.Key, value)])), uuidName));
                writes.Add(new MutateOperation(NorthboundSchema.LogicalSwitchPort, byLsp,
                    [Mutation.Insert(NorthboundSchema.MirrorRules, OvsdbAtom.FromNamedUuid(uuidName))]));
                continue;
            }

            if (!mirror.Matches(request))
            {
                throw new CniException(PluginErrorCode.MirrorDefinitionConflict,
                    $"mirror {request.Name} already exists in OVN Northbound with {mirror.Describe()}; " +
                    $"mirrors[] asks for type {request.Type}, index {request.Index}, filter {request.Filter}, sink {request.Sink}");
            }

            // The mirror is still there and still means what was read (a DEL's cleanup may have removed it).
            var byUuid = Where.Uuid(mirror.Uuid);
            txn.Add(Guards.Unchanged(NorthboundSchema.Mirror, byUuid, mirror.DefinitionRow));
            writes.Add(new MutateOperation(NorthboundSchema.Mirror, byUuid,
            [
                Mutation.Delete(NorthboundSchema.ExternalIds, OvsdbSet.Of(OvsdbAtom.FromString(id.Key))),
                Mutation.Insert(NorthboundSchema.ExternalIds, OvsdbMap.OfStrings([KeyValuePair.Create(id.Key, value)])),
            ]));
            writes.Add(new MutateOperation(NorthboundSchema.LogicalSwitchPort, byLsp,
                [Mutation.Insert(NorthboundSchema.MirrorRules, OvsdbAtom.FromUuid(mirror.Uuid))]));
        }

        foreach (var write in writes)
        {
            txn.Add(write);
        }

        return new NbAttachPlan(txn, new Dictionary<int, CniException> { [0] = LspNotFound(lsp) }, created > 0);
    }

    public static CniException LspNotFound(string lsp) =>
        new(PluginErrorCode.LogicalSwitchPortNotFound, $"logical switch port {lsp} does not exist in OVN Northbound");
}
