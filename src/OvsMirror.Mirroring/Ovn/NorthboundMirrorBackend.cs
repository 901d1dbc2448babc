using System.Globalization;
using OvsMirror.Cni;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>
/// OVN Northbound mirrors of Logical_Switch_Ports: the declarative form of <c>ovn-nbctl mirror-add</c> +
/// <c>lsp-attach-mirror</c> (spec: kube-ovn-remote-port-mirroring.md). Each change is ONE transaction with
/// <c>wait</c> guards (timeout 0) for what it was planned from; a guard or unique-index failure re-reads and retries
/// until <paramref name="deadline"/>.
/// <para>NB facts (ovn-nb(5), OVN 23.03): Mirror is a root table with a unique index on name, so two creates of one
/// name cannot both commit (the loser's commit fails with "constraint violation"), and a Mirror outlives its users
/// unless deleted. Logical_Switch_Port.mirror_rules holds weak references, so deleting a Mirror empties them.</para>
/// </summary>
internal sealed class NorthboundMirrorBackend(OvsdbConnection connection, long deadline)
{
    private static readonly string[] UuidOnly = [NorthboundSchema.Uuid];

    /// <summary>Makes the LSP a source of every requested mirror, creating the ones that do not exist. Returns the attempts.</summary>
    public int Attach(string network, AttachmentId id, string lsp, IReadOnlyList<OvnMirrorRequest> requests)
    {
        RequireSchemaFilters(requests);
        var record = new OvnAttachmentRecord(network, lsp).Format();
        var byLsp = Where.Eq(NorthboundSchema.Name, lsp);
        return OptimisticRetry.Run($"attach {id} to logical switch port {lsp}", () =>
        {
            var read = new Transaction(NorthboundSchema.Database)
                .Add(new SelectOperation(NorthboundSchema.LogicalSwitchPort, byLsp, UuidOnly));
            foreach (var request in requests)
            {
                read.Add(new SelectOperation(NorthboundSchema.Mirror, Where.Eq(NorthboundSchema.Name, request.Name),
                    NbMirrorSnapshot.DefinitionColumns));
            }

            var state = connection.Transact(read).ThrowIfAnyFailed();
            if (state[0].Rows.Count == 0)
            {
                throw LspNotFound(lsp);
            }

            // Guard 0: the LSP still exists (a pod deleted meanwhile is a final answer, not a retry).
            var txn = new Transaction(NorthboundSchema.Database).Add(Guards.Exists(NorthboundSchema.LogicalSwitchPort, byLsp));
            var writes = new List<OvsdbOperation>();
            var created = 0;
            for (var i = 0; i < requests.Count; i++)
            {
                var request = requests[i];
                var recordMap = OvsdbMap.OfStrings([KeyValuePair.Create(id.Key, record)]);
                if (state[1 + i].Rows is not [var row, ..])
                {
                    var uuidName = "m" + created++.ToString(CultureInfo.InvariantCulture);
                    writes.Add(new InsertOperation(NorthboundSchema.Mirror, NbMirrorSnapshot.Definition(request)
                        .Set(NorthboundSchema.ExternalIds, OvsdbMap.OfStrings(
                            [KeyValuePair.Create(OwnerMarker.Key, OwnerMarker.Value), KeyValuePair.Create(id.Key, record)])), uuidName));
                    writes.Add(new MutateOperation(NorthboundSchema.LogicalSwitchPort, byLsp,
                        [Mutation.Insert(NorthboundSchema.MirrorRules, OvsdbAtom.FromNamedUuid(uuidName))]));
                    continue;
                }

                var mirror = new NbMirrorSnapshot(row);
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
                    Mutation.Insert(NorthboundSchema.ExternalIds, recordMap),
                ]));
                writes.Add(new MutateOperation(NorthboundSchema.LogicalSwitchPort, byLsp,
                    [Mutation.Insert(NorthboundSchema.MirrorRules, OvsdbAtom.FromUuid(mirror.Uuid))]));
            }

            foreach (var write in writes)
            {
                txn.Add(write);
            }

            var result = connection.Transact(txn);
            if (result.FirstFailure is not { } failure)
            {
                return true;
            }

            if (failure.IsWaitTimeout)
            {
                return failure.OperationIndex == 0 ? throw LspNotFound(lsp) : false;
            }

            // Another caller created a mirror of the same name first: the unique index refused ours. Re-read and join it.
            return created > 0 && failure.Error == OvsdbErrors.ConstraintViolation
                ? false
                : throw new CniException(CniErrorCode.IoFailure, $"OVN Northbound refused the change: {failure.Message}");
        }, deadline);
    }

    /// <summary>
    /// Undoes the attachments <paramref name="which"/> selects, then deletes the owned mirrors left with no attachment
    /// and no Logical_Switch_Port referring to them. Idempotent. Returns whether anything changed.
    /// </summary>
    public bool Detach(Func<AttachmentId, OvnAttachmentRecord, bool> which)
    {
        var changed = false;
        var emptied = new List<Guid>();
        OptimisticRetry.Run("detach from OVN Northbound", () =>
        {
            emptied.Clear();
            var txn = new Transaction(NorthboundSchema.Database);
            var writes = new List<OvsdbOperation>();
            foreach (var mirror in Read())
            {
                if (mirror.Records is not { } records)
                {
                    continue;
                }

                var leaving = records.Where(r => which(r.Key, r.Value)).ToList();
                if (leaving.Count == 0)
                {
                    continue;
                }

                var remaining = records.Where(r => !which(r.Key, r.Value)).Select(r => r.Value.LogicalSwitchPort).ToHashSet(StringComparer.Ordinal);
                var byUuid = Where.Uuid(mirror.Uuid);

                // No attachment came or went on this mirror since the read: "remaining" is the truth at commit.
                txn.Add(Guards.Unchanged(NorthboundSchema.Mirror, byUuid,
                    new OvsdbRow().Set(NorthboundSchema.ExternalIds, mirror.ExternalIds!)));
                writes.Add(new MutateOperation(NorthboundSchema.Mirror, byUuid,
                    [Mutation.Delete(NorthboundSchema.ExternalIds, OvsdbSet.Of(leaving.Select(r => OvsdbAtom.FromString(r.Key.Key))))]));
                foreach (var lsp in leaving.Select(r => r.Value.LogicalSwitchPort).Distinct(StringComparer.Ordinal).Where(l => !remaining.Contains(l)))
                {
                    // An LSP already gone matches no row: nothing to undo there.
                    writes.Add(new MutateOperation(NorthboundSchema.LogicalSwitchPort, Where.Eq(NorthboundSchema.Name, lsp),
                        [Mutation.Delete(NorthboundSchema.MirrorRules, OvsdbAtom.FromUuid(mirror.Uuid))]));
                }

                if (mirror.Owned && remaining.Count == 0)
                {
                    emptied.Add(mirror.Uuid);
                }
            }

            if (writes.Count == 0)
            {
                return true;
            }

            foreach (var write in writes)
            {
                txn.Add(write);
            }

            var result = connection.Transact(txn);
            if (result.FirstFailure is not { } failure)
            {
                changed = true;
                return true;
            }

            return failure.IsWaitTimeout
                ? false
                : throw new CniException(CniErrorCode.IoFailure, $"OVN Northbound refused the change: {failure.Message}");
        }, deadline);

        foreach (var mirror in emptied)
        {
            RemoveIfUnused(mirror);
        }

        return changed;
    }

    /// <summary>
    /// Deletes an owned mirror that has no attachment record left and that no Logical_Switch_Port refers to (someone
    /// may have attached one with ovn-nbctl). False when a guard says it is in use, or already gone: both are fine.
    /// </summary>
    public bool RemoveIfUnused(Guid mirror)
    {
        var result = connection.Transact(new Transaction(NorthboundSchema.Database)
            .Add(Guards.Exists(NorthboundSchema.Mirror,
                [.. Where.Uuid(mirror), .. Where.Eq(NorthboundSchema.ExternalIds, OwnerMarker.EmptyOwnedExternalIds)]))
            .Add(Guards.Absent(NorthboundSchema.LogicalSwitchPort, Where.Includes(NorthboundSchema.MirrorRules, OvsdbAtom.FromUuid(mirror))))
            .Delete(NorthboundSchema.Mirror, Where.Uuid(mirror)));
        return result.FirstFailure is not { } failure
            || (failure.IsWaitTimeout ? false : throw new CniException(CniErrorCode.IoFailure, $"OVN Northbound refused the change: {failure.Message}"));
    }

    /// <summary>Every NB Mirror with its external_ids (NB holds few mirrors: Kube-OVN makes them only on request).</summary>
    public IReadOnlyList<NbMirrorSnapshot> Read()
    {
        var result = connection.Transact(new Transaction(NorthboundSchema.Database)
            .Add(new SelectOperation(NorthboundSchema.Mirror, Where.All, NbMirrorSnapshot.FullColumns))).ThrowIfAnyFailed();
        return [.. result[0].Rows.Select(r => new NbMirrorSnapshot(r))];
    }

    /// <summary>The mirrors the LSP refers to, or null when there is no such LSP.</summary>
    public IReadOnlyList<Guid>? ReadMirrorRules(string lsp)
    {
        var result = connection.Transact(new Transaction(NorthboundSchema.Database)
            .Add(new SelectOperation(NorthboundSchema.LogicalSwitchPort, Where.Eq(NorthboundSchema.Name, lsp),
                [NorthboundSchema.MirrorRules]))).ThrowIfAnyFailed();
        return result[0].Rows is [var row, ..] ? [.. row.GetAtoms(NorthboundSchema.MirrorRules).Select(a => a.AsUuid())] : null;
    }

    /// <summary>
    /// DESIGN §4: a value newer schemas added (Mirror.filter "both") is used only where the server's schema has it.
    /// The schema is downloaded only when the config asks for such a value: never on the common ADD path.
    /// </summary>
    private void RequireSchemaFilters(IReadOnlyList<OvnMirrorRequest> requests)
    {
        if (!requests.Any(r => r.NeedsSchemaCheck))
        {
            return;
        }

        var schema = connection.GetSchema(NorthboundSchema.Database);
        var filters = schema.StringEnum(NorthboundSchema.Mirror, NorthboundSchema.Filter);
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i].NeedsSchemaCheck && filters?.Contains(requests[i].Filter) != true)
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig,
                    $"mirrors[{i}].filter: \"{requests[i].Filter}\" is not supported by this OVN Northbound " +
                    $"(schema {schema.Version} allows {string.Join(", ", filters ?? (IEnumerable<string>)[])}); use from-lport or to-lport");
            }
        }
    }

    private static CniException LspNotFound(string lsp) =>
        new(PluginErrorCode.LogicalSwitchPortNotFound, $"logical switch port {lsp} does not exist in OVN Northbound");
}
