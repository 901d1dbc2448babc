using System.Globalization;
using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Turns "attach this port to these mirrors" into ONE guarded transaction (DESIGN §3). Pure: it reads
/// only the snapshot, so unit tests check its transactions without a server.
/// <para>Guards, in order: the port is on this bridge; when a mirror is created, Bridge.mirrors is as
/// read (so no mirror of that name appeared meanwhile, and the 32-mirror count still holds); otherwise
/// the mirrors used are still on the bridge; per mirror, whatever mirror-wide state the change relies on
/// (its output, its VLAN filter, its port selections) is as read. Membership itself changes only by
/// "mutate" insert, which is atomic in the server.</para>
/// </summary>
internal static class AttachPlanner
{
    /// <param name="pod">The pod from CNI_ARGS, recorded with the attachment; null when the runtime named none.</param>
    public static PlannedTransaction Plan(AttachSnapshot snapshot, string bridgeName, string network, AttachmentId id,
        IReadOnlyList<MirrorRequest> requests, PodIdentity? pod = null)
    {
        var bridge = snapshot.Bridge ?? throw Errors.BridgeNotFound(bridgeName);
        var port = snapshot.Port ?? throw new CniException(PluginErrorCode.PortNotOnBridge,
            $"port {snapshot.PortName} (the host interface in prevResult) is not in OVSDB");

        var guards = new List<OvsdbOperation>();
        var writes = new List<OvsdbOperation>();
        var terminal = new Dictionary<int, CniException>();

        // "No tunnel port of that name" is checked last: a racing creator's port must first fail the guards that
        // mean "re-read" (Bridge.mirrors as read, the output as read), so only a truly stray port is an error.
        var tunnelGuards = new List<(WaitOperation Guard, CniException Error)>();
        var byBridgeName = Where.Eq(VswitchSchema.Name, bridgeName);
        var portAtom = OvsdbAtom.FromUuid(port.Uuid);

        // The port must be a port of THIS bridge (DESIGN §5 "Wrong bridge").
        terminal[guards.Count] = new CniException(PluginErrorCode.PortNotOnBridge,
            $"port {port.Name} is not a port of bridge {bridgeName}");
        guards.Add(Guards.Exists(VswitchSchema.Bridge, [.. byBridgeName, .. Where.Includes(VswitchSchema.Ports, portAtom)]));

        var created = new List<string>();
        var existing = new List<Guid>();
        int tunnels = 0; // RFC 7047 §5.1: a uuid-name is unique within its transaction, so each tunnel gets its own
        var key = id.Key;
        var locators = new List<KeyValuePair<string, string>>(requests.Count);
        var locatorKeys = new List<OvsdbAtom>(requests.Count);
        foreach (var request in requests)
        {
            var record = RecordResolver.Resolve(request, network, port, pod);
            var recordMap = OvsdbMap.OfStrings([KeyValuePair.Create(key, record.Format())]);
            var locatorKey = PortLocator.Key(id, request.Name);
            locators.Add(KeyValuePair.Create(locatorKey, PortLocator.Value(record, request.Remote is not null)));
            locatorKeys.Add(OvsdbAtom.FromString(locatorKey));
            var candidates = snapshot.MirrorsByName.TryGetValue(request.Name, out var found) ? found : [];
            if (candidates.Count > 1)
            {
                throw new CniException(PluginErrorCode.DuplicateMirror,
                    $"bridge {bridgeName} has {candidates.Count} mirrors named {request.Name}; remove all but one");
            }

            if (candidates.Count == 0)
            {
                var uuidName = "m" + created.Count.ToString(CultureInfo.InvariantCulture);
                var row = NewMirrorRow(request, record, key);
                if (request.Remote is { } remote)
                {
                    // The first producer creates the tunnel in the same transaction and makes it the output.
                    var tunnelUuidName = "t" + (tunnels++).ToString(CultureInfo.InvariantCulture);
                    AddTunnel(bridgeName, request, remote, tunnelUuidName, tunnelGuards, writes);
                    row.Set(VswitchSchema.OutputPort, OvsdbAtom.FromNamedUuid(tunnelUuidName));
                    row.Set(VswitchSchema.ExternalIds, OvsdbMap.OfStrings(
                    [
                        KeyValuePair.Create(OwnerMarker.Key, OwnerMarker.Value),
                        KeyValuePair.Create(TunnelPort.RemoteKey, remote.Canonical()),
                        KeyValuePair.Create(key, record.Format()),
                    ]));
                }

                writes.Add(new InsertOperation(VswitchSchema.Mirror, row, uuidName));
                writes.Add(new MutateOperation(VswitchSchema.Bridge, byBridgeName,
                    [Mutation.Insert(VswitchSchema.Mirrors, OvsdbAtom.FromNamedUuid(uuidName))]));
                if (record.Output == MirrorOutputKind.Vlan)
                {
                    writes.Add(FloodVlanInsert(byBridgeName, record.OutputVlan!.Value));
                }

                created.Add(request.Name);
                continue;
            }

            var mirror = candidates[0];
            existing.Add(mirror.Uuid);
            var byUuid = Where.Uuid(mirror.Uuid);
            var mutations = new List<Mutation>();
            var update = new OvsdbRow();
            if (record.Role == MirrorRole.Producer)
            {
                PlanProducer(request, record, mirror, portAtom, guards, mutations, update);
                if (request.Remote is { } remote)
                {
                    var tunnelUuidName = "t" + (tunnels++).ToString(CultureInfo.InvariantCulture);
                    PlanRemote(bridgeName, request, remote, mirror, tunnelUuidName, guards, writes, tunnelGuards, mutations, update);
                }
            }
            else
            {
                PlanConsumer(request, record, mirror, port, guards, update);
                if (record.Output == MirrorOutputKind.Vlan && mirror.OutputVlan != record.OutputVlan)
                {
                    writes.Add(FloodVlanInsert(byBridgeName, record.OutputVlan!.Value));
                }
            }

            if (request.Snaplen is { } snaplen && mirror.Snaplen != snaplen)
            {
                RequireOwned(mirror, "snaplen");
                update.Set(VswitchSchema.Snaplen, snaplen);
            }

            // Replace this attachment's record: delete by key, then insert (a map insert keeps an existing key's value).
            mutations.Add(Mutation.Delete(VswitchSchema.ExternalIds, OvsdbSet.Of(OvsdbAtom.FromString(key))));
            mutations.Add(Mutation.Insert(VswitchSchema.ExternalIds, recordMap));
            writes.Add(new MutateOperation(VswitchSchema.Mirror, byUuid, mutations));
            if (update.Columns.Count > 0)
            {
                writes.Add(new UpdateOperation(VswitchSchema.Mirror, byUuid, update));
            }
        }

        if (created.Count > 0)
        {
            if (bridge.Mirrors.Count + created.Count > VswitchSchema.MaxMirrorsPerBridge)
            {
                throw new CniException(PluginErrorCode.MirrorLimitReached,
                    $"bridge {bridgeName} already has {bridge.Mirrors.Count} mirrors; ovs-vswitchd applies at most " +
                    $"{VswitchSchema.MaxMirrorsPerBridge} per bridge, so mirror {created[0]} would silently do nothing");
            }

            // No mirror was added to or removed from this bridge since the read: so none of these names exists
            // here now (create-if-absent), the count above still holds, and the existing mirrors are still here.
            guards.Add(Guards.Unchanged(VswitchSchema.Bridge, byBridgeName,
                new OvsdbRow().Set(VswitchSchema.Mirrors, bridge.MirrorsValue)));
        }
        else if (existing.Count > 0)
        {
            guards.Add(Guards.Exists(VswitchSchema.Bridge,
                [.. byBridgeName, .. Where.Includes(VswitchSchema.Mirrors, OvsdbSet.Of(existing.Select(OvsdbAtom.FromUuid)))]));
        }

        foreach (var (guard, error) in tunnelGuards)
        {
            terminal[guards.Count] = error;
            guards.Add(guard);
        }

        // Where DEL will find these records without reading every member's (PortLocator): replaced by key, like the records.
        writes.Add(new MutateOperation(VswitchSchema.Port, Where.Uuid(port.Uuid),
        [
            Mutation.Delete(VswitchSchema.ExternalIds, OvsdbSet.Of(locatorKeys)),
            Mutation.Insert(VswitchSchema.ExternalIds, OvsdbMap.OfStrings(locators)),
        ]));

        var txn = new Transaction(VswitchSchema.Database);
        foreach (var op in guards.Concat(writes))
        {
            txn.Add(op);
        }

        return new PlannedTransaction(txn, terminal);
    }

    private static void PlanProducer(MirrorRequest request, AttachmentRecord record, MirrorSnapshot mirror,
        OvsdbAtom portAtom, List<OvsdbOperation> guards, List<Mutation> mutations, OvsdbRow update)
    {
        var byUuid = Where.Uuid(mirror.Uuid);
        var wantsVlan = (record.Selection & MirrorSelection.Vlan) != 0;
        if (wantsVlan)
        {
            // OVS applies select_vlan as a filter to everything the mirror selects (reference/ovs-test-rig.md
            // pitfall 6): adding it to a mirror that selects ports, or all traffic, would silently narrow those.
            RequireOwned(mirror, "selection vlan");
            if (mirror.HasNoPortSelections != true || (mirror.SelectAll && mirror.SelectVlan.Count == 0))
            {
                throw Errors.SelectionConflict(request.Name,
                    "it already selects ports or all traffic, and a VLAN selection would narrow those to the VLAN");
            }

            guards.Add(Guards.Unchanged(VswitchSchema.Mirror,
                [.. byUuid, .. Where.Eq(VswitchSchema.SelectSrcPort, OvsdbSet.Empty), .. Where.Eq(VswitchSchema.SelectDstPort, OvsdbSet.Empty)],
                new OvsdbRow()
                    .Set(VswitchSchema.SelectAll, mirror.SelectAll)
                    .Set(VswitchSchema.SelectVlan, OvsdbSet.Of(mirror.SelectVlan.Select(OvsdbAtom.FromInteger)))));
            mutations.Add(Mutation.Insert(VswitchSchema.SelectVlan, OvsdbSet.Of(record.Vlans.Select(v => OvsdbAtom.FromInteger(v)))));
        }
        else
        {
            if (mirror.SelectVlan.Count > 0)
            {
                throw Errors.SelectionConflict(request.Name,
                    "it selects by VLAN, and OVS would apply that VLAN filter to this port's traffic too");
            }

            guards.Add(Guards.Exists(VswitchSchema.Mirror, [.. byUuid, .. Where.Eq(VswitchSchema.SelectVlan, OvsdbSet.Empty)]));
        }

        if (record.SelectsAllTraffic)
        {
            if (!mirror.SelectAll)
            {
                RequireOwned(mirror, "selection all");
                update.Set(VswitchSchema.SelectAll, true);
            }
            else if (!wantsVlan)
            {
                // This ADD relies on select_all staying true: a DEL of the last other "all" producer that commits
                // first clears it, and then this record must not commit onto a mirror that selects nothing.
                // (The vlan path above already guards select_all.)
                guards.Add(Guards.Unchanged(VswitchSchema.Mirror, byUuid, new OvsdbRow().Set(VswitchSchema.SelectAll, true)));
            }
        }

        if ((record.Selection & MirrorSelection.SrcPort) != 0)
        {
            mutations.Add(Mutation.Insert(VswitchSchema.SelectSrcPort, portAtom));
        }

        if ((record.Selection & MirrorSelection.DstPort) != 0)
        {
            mutations.Add(Mutation.Insert(VswitchSchema.SelectDstPort, portAtom));
        }
    }

    /// <summary>
    /// A producer with a remote joins a mirror: the mirror already outputs to the same remote (guarded by the
    /// definition in its external_ids; its tunnel port is recreated if someone deleted it), or it has no output yet
    /// and this producer adds the tunnel. Anything else
    /// (another remote, a consumer port, an RSPAN VLAN) is a conflict.
    /// </summary>
    private static void PlanRemote(string bridgeName, MirrorRequest request, RemoteOutput remote, MirrorSnapshot mirror,
        string tunnelUuidName, List<OvsdbOperation> guards, List<OvsdbOperation> writes, List<(WaitOperation Guard, CniException Error)> tunnelGuards,
        List<Mutation> mutations, OvsdbRow update)
    {
        var byUuid = Where.Uuid(mirror.Uuid);
        var definition = OvsdbMap.OfStrings([KeyValuePair.Create(TunnelPort.RemoteKey, remote.Canonical())]);
        if (mirror.RemoteMatches)
        {
            guards.Add(Guards.Exists(VswitchSchema.Mirror, [.. byUuid, .. Where.Includes(VswitchSchema.ExternalIds, definition)]));
            if (mirror.OutputPort is null && mirror.OutputVlan is null)
            {
                // The tunnel port was deleted by hand: output_port is a weak reference, so the mirror lost its output
                // (ovs-vswitchd: "mirror does not specify output; ignoring"). Recreate the tunnel as the first producer did.
                guards.Add(Guards.Unchanged(VswitchSchema.Mirror, byUuid, new OvsdbRow()
                    .Set(VswitchSchema.OutputPort, mirror.OutputPortValue)
                    .Set(VswitchSchema.OutputVlan, mirror.OutputVlanValue)));
                AddTunnel(bridgeName, request, remote, tunnelUuidName, tunnelGuards, writes);
                update.Set(VswitchSchema.OutputPort, OvsdbAtom.FromNamedUuid(tunnelUuidName));
            }

            return;
        }

        if (mirror.OutputPort is not null || mirror.OutputVlan is not null)
        {
            throw new CniException(PluginErrorCode.MirrorOutputTaken,
                $"mirror {request.Name} already outputs to " +
                (mirror.OutputVlan is { } vlan ? $"VLAN {vlan}" : "a port (a consumer, or a tunnel to another remote)") +
                "; every producer of a remote mirror must give the same remote, and a remote mirror has no consumer");
        }

        RequireOwned(mirror, "output");
        guards.Add(Guards.Unchanged(VswitchSchema.Mirror, byUuid, new OvsdbRow()
            .Set(VswitchSchema.OutputPort, mirror.OutputPortValue)
            .Set(VswitchSchema.OutputVlan, mirror.OutputVlanValue)));
        AddTunnel(bridgeName, request, remote, tunnelUuidName, tunnelGuards, writes);
        update.Set(VswitchSchema.OutputPort, OvsdbAtom.FromNamedUuid(tunnelUuidName));
        mutations.Add(Mutation.Insert(VswitchSchema.ExternalIds, definition));
    }

    private static void AddTunnel(string bridgeName, MirrorRequest request, RemoteOutput remote, string portUuidName,
        List<(WaitOperation Guard, CniException Error)> tunnelGuards, List<OvsdbOperation> writes)
    {
        var name = TunnelPort.Name(bridgeName, request.Name);
        tunnelGuards.Add((Guards.Absent(VswitchSchema.Port, Where.Eq(VswitchSchema.Name, name)), new CniException(PluginErrorCode.MirrorOutputTaken,
            $"port {name}, the tunnel of mirror {request.Name}, already exists without the mirror; remove it (ovs-vsctl del-port {name})")));
        writes.AddRange(TunnelPort.Create(bridgeName, request.Name, remote, portUuidName));
    }

    private static void PlanConsumer(MirrorRequest request, AttachmentRecord record, MirrorSnapshot mirror,
        PortSnapshot port, List<OvsdbOperation> guards, OvsdbRow update)
    {
        var taken = record.Output == MirrorOutputKind.Port
            ? (mirror.OutputPort is { } p && p != port.Uuid) || mirror.OutputVlan is not null
            : mirror.OutputPort is not null || (mirror.OutputVlan is { } v && v != record.OutputVlan);
        if (taken)
        {
            var current = mirror.OutputPort is { } other ? $"port {other}" : $"VLAN {mirror.OutputVlan}";
            throw new CniException(PluginErrorCode.MirrorOutputTaken,
                $"mirror {request.Name} already outputs to {current}; a mirror has one output");
        }

        // The output must still be what was read (free, or already ours) when this commits.
        guards.Add(Guards.Unchanged(VswitchSchema.Mirror, Where.Uuid(mirror.Uuid), new OvsdbRow()
            .Set(VswitchSchema.OutputPort, mirror.OutputPortValue)
            .Set(VswitchSchema.OutputVlan, mirror.OutputVlanValue)));
        if (record.Output == MirrorOutputKind.Port)
        {
            if (mirror.OutputPort != port.Uuid)
            {
                update.Set(VswitchSchema.OutputPort, OvsdbAtom.FromUuid(port.Uuid));
            }
        }
        else
        {
            RequireOwned(mirror, "output vlan");
            if (mirror.OutputVlan != record.OutputVlan)
            {
                update.Set(VswitchSchema.OutputVlan, record.OutputVlan!.Value);
            }
        }
    }

    private static OvsdbRow NewMirrorRow(MirrorRequest request, AttachmentRecord record, string key)
    {
        var portAtom = OvsdbAtom.FromUuid(record.PortUuid);
        var row = new OvsdbRow()
            .Set(VswitchSchema.Name, request.Name)
            .Set(VswitchSchema.ExternalIds, OvsdbMap.OfStrings(
            [
                KeyValuePair.Create(OwnerMarker.Key, OwnerMarker.Value),
                KeyValuePair.Create(key, record.Format()),
            ]));
        if ((record.Selection & MirrorSelection.SrcPort) != 0)
        {
            row.Set(VswitchSchema.SelectSrcPort, OvsdbSet.Of(portAtom));
        }

        if ((record.Selection & MirrorSelection.DstPort) != 0)
        {
            row.Set(VswitchSchema.SelectDstPort, OvsdbSet.Of(portAtom));
        }

        if (record.SelectsAllTraffic)
        {
            row.Set(VswitchSchema.SelectAll, true);
        }

        if (record.Vlans.Count > 0)
        {
            row.Set(VswitchSchema.SelectVlan, OvsdbSet.Of(record.Vlans.Select(v => OvsdbAtom.FromInteger(v))));
        }

        if (record.Role == MirrorRole.Consumer)
        {
            if (record.Output == MirrorOutputKind.Port)
            {
                row.Set(VswitchSchema.OutputPort, portAtom);
            }
            else
            {
                row.Set(VswitchSchema.OutputVlan, record.OutputVlan!.Value);
            }
        }

        if (request.Snaplen is { } snaplen)
        {
            row.Set(VswitchSchema.Snaplen, snaplen);
        }

        return row;
    }

    private static MutateOperation FloodVlanInsert(IReadOnlyList<Condition> byBridgeName, int vlan) =>
        // ovs-vswitchd.conf.db(5) Mirror output_vlan: the VLAN should be in Bridge flood_vlans, so the
        // switch floods (never learns) it and every port of the RSPAN VLAN gets the copies.
        new(VswitchSchema.Bridge, byBridgeName, [Mutation.Insert(VswitchSchema.FloodVlans, OvsdbAtom.FromInteger(vlan))]);

    private static void RequireOwned(MirrorSnapshot mirror, string what)
    {
        if (!mirror.Owned)
        {
            throw Errors.SelectionConflict(mirror.Name,
                $"it was not created by ovs-mirror, so ovs-mirror only adds and removes ports of it and does not change its {what}");
        }
    }
}
