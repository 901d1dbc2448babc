using OvsMirror.Cni;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>
/// OVN Northbound mirrors of Logical_Switch_Ports: the declarative form of <c>ovn-nbctl mirror-add</c> +
/// <c>lsp-attach-mirror</c> (spec: kube-ovn-remote-port-mirroring.md). Runs the pure planners' transactions
/// (<see cref="NorthboundAttachPlanner"/>, <see cref="NorthboundDetachPlanner"/>, <see cref="NorthboundCleanupPlanner"/>)
/// through the one commit loop (<see cref="GuardedCommit"/>, <see cref="OptimisticRetry"/>) until <paramref name="deadline"/>.
/// <para>NB facts (ovn-nb(5), OVN 23.03): Mirror is a root table with a unique index on name, so two creates of one
/// name cannot both commit (the loser's commit fails with "constraint violation"), and a Mirror outlives its users
/// unless deleted. Logical_Switch_Port.mirror_rules holds weak references, so deleting a Mirror empties them.</para>
/// </summary>
internal sealed class NorthboundMirrorBackend(OvsdbConnection connection, OvnPluginConfig config, long deadline) : IMirrorBackend
{
    private const string Database = "OVN Northbound";

    /// <summary>Makes the LSP a source of every requested mirror, creating the ones that do not exist. Returns the attempts.</summary>
    public int Attach(AttachmentId id, string network, PodIdentity? pod, string target)
    {
        var requests = config.Mirrors;
        RequireSchemaFilters(requests);
        var record = new OvnAttachmentRecord(network, target, pod);
        return OptimisticRetry.Run($"attach {id} to logical switch port {target}", () =>
        {
            var plan = NorthboundAttachPlanner.Plan(NbAttachSnapshot.Read(connection, target, requests), id, target, record, requests);
            return GuardedCommit.Committed(connection.Transact(plan.Transaction), Database, plan.TerminalGuards, plan.CreatesMirrors);
        }, deadline);
    }

    /// <inheritdoc />
    public DetachOutcome Detach(AttachmentSelector selector, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (dryRun)
        {
            return new DetachOutcome(false, NorthboundDetachPlanner.Plan(Read(), selector).Detached);
        }

        var changed = false;
        NbDetachPlan? committed = null;
        OptimisticRetry.Run("detach from OVN Northbound", () =>
        {
            var (effective, absent) = AbsentTargetGuard.Narrow(connection, NorthboundSchema.Database, NorthboundSchema.LogicalSwitchPort,
                NorthboundSchema.Name, selector);
            var plan = NorthboundDetachPlanner.Plan(Read(), effective);
            if (plan.Transaction is null)
            {
                return true;
            }

            AbsentTargetGuard.Append(plan.Transaction, NorthboundSchema.LogicalSwitchPort, NorthboundSchema.Name, absent);
            if (!GuardedCommit.Committed(connection.Transact(plan.Transaction), Database))
            {
                return false;
            }

            changed = true;
            committed = plan;
            return true;
        }, deadline);

        foreach (var mirror in committed?.EmptiedMirrors ?? [])
        {
            RemoveIfUnused(mirror);
        }

        return new DetachOutcome(changed, committed?.Detached ?? []);
    }

    /// <inheritdoc />
    public IReadOnlyList<EmptyMirror> FindEmptyOwnedMirrors() =>
    [
        .. Read().Where(m => m.Owned && m.Records is { Count: 0 } && m.ExternalIds?.Count == 1)
            .Select(m => new EmptyMirror(m.Name, m.Uuid, OwnerMarker.EmptyOwnedExternalIds, null)),
    ];

    /// <inheritdoc />
    public bool RemoveIfEmpty(EmptyMirror mirror)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        return RemoveIfUnused(mirror.Uuid);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Diff(AttachmentId id, string network, string target) =>
        NorthboundDiff.Find(ReadMirrorRules(target), Read(), config.Mirrors, id, target);

    /// <summary>Reading the Mirror table proves the server answers and is an OVN Northbound that has mirrors.</summary>
    public void Probe() => Read();

    /// <inheritdoc />
    public MirrorInventory Inventory() => NorthboundInventoryReader.Read(connection);

    /// <inheritdoc />
    public bool RemoveRecord(UnparseableRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return GuardedCommit.Committed(connection.Transact(new Transaction(NorthboundSchema.Database).Add(new MutateOperation(
            NorthboundSchema.Mirror, Where.Uuid(record.MirrorUuid),
            [Mutation.Delete(NorthboundSchema.ExternalIds, OvsdbMap.OfStrings([KeyValuePair.Create(record.Key, record.Value)]))]))), Database);
    }

    /// <summary>OVN applies NB changes through northd and ovn-controller; nothing to revalidate here.</summary>
    public void ApplyToFlows()
    {
    }

    /// <summary>
    /// Deletes an owned mirror that has no attachment record left and that no Logical_Switch_Port refers to. False when a
    /// guard says it is in use, or already gone: both are fine.
    /// </summary>
    public bool RemoveIfUnused(Guid mirror) => GuardedCommit.Committed(connection.Transact(NorthboundCleanupPlanner.Plan(mirror)), Database);

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
}
