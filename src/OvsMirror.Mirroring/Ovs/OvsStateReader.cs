using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Reads the state a change is planned from. Reads never scan a table from the client side: every
/// select names its rows by an indexed column (Bridge.name, Port.name, _uuid) or by Mirror.name, and
/// asks only for the columns it needs.
/// </summary>
internal static class OvsStateReader
{
    private static readonly string[] UuidOnly = [VswitchSchema.Uuid];

    /// <summary>
    /// One round trip: bridge, port and, per requested name, the mirror row plus condition-only probes. Each probe is one
    /// more select by name, which ovsdb-server answers by visiting every Mirror row, so a probe is sent only for a name whose
    /// request can need its answer (<paramref name="probes"/>; null: all of them).
    /// </summary>
    /// <param name="remotes">Per name, the canonical remote definition to probe for (null: none); null: no remote probes.</param>
    public static AttachSnapshot ReadForAttach(OvsdbConnection connection, string bridge, string port,
        IReadOnlyList<string> mirrorNames, IReadOnlyList<string?>? remotes = null, AttachProbes[]? probes = null)
    {
        var txn = new Transaction(VswitchSchema.Database)
            .Add(new SelectOperation(VswitchSchema.Bridge, Where.Eq(VswitchSchema.Name, bridge), BridgeSnapshot.Columns))
            .Add(new SelectOperation(VswitchSchema.Port, Where.Eq(VswitchSchema.Name, port), PortSnapshot.Columns));
        var at = new (int Row, int Owned, int Portless, int Remote)[mirrorNames.Count];
        for (var n = 0; n < mirrorNames.Count; n++)
        {
            var name = mirrorNames[n];
            var wanted = probes?[n] ?? AttachProbes.All;
            var byName = Where.Eq(VswitchSchema.Name, name);
            at[n] = (txn.Operations.Count, -1, -1, -1);
            txn.Add(new SelectOperation(VswitchSchema.Mirror, byName, MirrorSnapshot.AttachColumns));
            if ((wanted & AttachProbes.Owned) != 0)
            {
                at[n].Owned = txn.Operations.Count;
                txn.Add(new SelectOperation(VswitchSchema.Mirror,
                    [.. byName, .. Where.Includes(VswitchSchema.ExternalIds, OwnerMarker.EmptyOwnedExternalIds)], UuidOnly));
            }

            if ((wanted & AttachProbes.Portless) != 0)
            {
                at[n].Portless = txn.Operations.Count;
                txn.Add(new SelectOperation(VswitchSchema.Mirror,
                    [.. byName, .. Where.Eq(VswitchSchema.SelectSrcPort, OvsdbSet.Empty), .. Where.Eq(VswitchSchema.SelectDstPort, OvsdbSet.Empty)],
                    UuidOnly));
            }

            if (remotes is not null)
            {
                // Condition-only: whether the mirror's remote is the requested one ("" matches none).
                at[n].Remote = txn.Operations.Count;
                var remote = remotes[n] ?? "";
                txn.Add(new SelectOperation(VswitchSchema.Mirror,
                    [.. byName, .. Where.Includes(VswitchSchema.ExternalIds, OvsdbMap.OfStrings([KeyValuePair.Create(TunnelPort.RemoteKey, remote)]))],
                    UuidOnly));
            }
        }

        var result = connection.Transact(txn).ThrowIfAnyFailed();
        var bridgeSnapshot = result[0].Rows is [var b] ? BridgeSnapshot.FromRow(b, bridge) : null;
        var portSnapshot = result[1].Rows is [var p] ? PortSnapshot.FromRow(p, port) : null;
        var mirrors = new Dictionary<string, IReadOnlyList<MirrorSnapshot>>(StringComparer.Ordinal);
        // Loops, not LINQ chains: Select on a LINQ iterator is a generic virtual call, which NativeAOT resolves at run
        // time on first use, in every CNI call (issue 14).
        HashSet<Guid> Matches(int index)
        {
            var uuids = new HashSet<Guid>();
            if (index >= 0)
            {
                foreach (var row in result[index].Rows)
                {
                    uuids.Add(row.Uuid);
                }
            }

            return uuids;
        }

        for (var i = 0; i < mirrorNames.Count; i++)
        {
            var (owned, portless, remoteMatches) = (Matches(at[i].Owned), Matches(at[i].Portless), Matches(at[i].Remote));
            var onBridge = new List<MirrorSnapshot>();
            foreach (var row in result[at[i].Row].Rows)
            {
                if (bridgeSnapshot?.Holds(row.Uuid) == true)
                {
                    onBridge.Add(MirrorSnapshot.FromAttachRow(row, owned.Contains(row.Uuid), portless.Contains(row.Uuid),
                        remoteMatches.Contains(row.Uuid)));
                }
            }

            mirrors[mirrorNames[i]] = onBridge;
        }

        return new AttachSnapshot(bridgeSnapshot, portSnapshot, port, mirrors);
    }

    /// <summary>One round trip: the bridge row alone, or null when there is none.</summary>
    public static BridgeSnapshot? ReadBridge(OvsdbConnection connection, string bridge) =>
        connection.Transact(new Transaction(VswitchSchema.Database).Add(
                new SelectOperation(VswitchSchema.Bridge, Where.Eq(VswitchSchema.Name, bridge), BridgeSnapshot.Columns)))
            .ThrowIfAnyFailed()[0].Rows is [var row]
            ? BridgeSnapshot.FromRow(row, bridge)
            : null;

    /// <summary>One round trip: the bridge row and the port's locator entries (<see cref="PortLocator"/>); null for either when absent.</summary>
    public static (BridgeSnapshot? Bridge, LocatedPort? Port) ReadForDetach(OvsdbConnection connection, string bridge, string port)
    {
        var result = connection.Transact(new Transaction(VswitchSchema.Database)
                .Add(new SelectOperation(VswitchSchema.Bridge, Where.Eq(VswitchSchema.Name, bridge), BridgeSnapshot.Columns))
                .Add(new SelectOperation(VswitchSchema.Port, Where.Eq(VswitchSchema.Name, port), LocatedPort.Columns)))
            .ThrowIfAnyFailed();
        return (result[0].Rows is [var b] ? BridgeSnapshot.FromRow(b, bridge) : null,
            result[1].Rows is [var p] ? LocatedPort.FromRow(p, port) : null);
    }

    /// <summary>
    /// Two round trips: the bridge, then each of its mirrors by _uuid (at most a few dozen). The port sets,
    /// which grow with members, are read only with <paramref name="withPortSets"/> (CHECK).
    /// </summary>
    public static BridgeMirrorsSnapshot ReadBridgeMirrors(OvsdbConnection connection, string bridge, bool withPortSets = false) =>
        ReadMirrorsOf(connection, ReadBridge(connection, bridge), withPortSets);

    /// <summary>One round trip (none when there is no bridge or it has no mirror): the mirrors of a bridge already read.</summary>
    public static BridgeMirrorsSnapshot ReadMirrorsOf(OvsdbConnection connection, BridgeSnapshot? bridge, bool withPortSets = false)
    {
        if (bridge is not { } bridgeSnapshot)
        {
            return new BridgeMirrorsSnapshot(null, []);
        }

        if (bridgeSnapshot.Mirrors.Count == 0)
        {
            return new BridgeMirrorsSnapshot(bridgeSnapshot, []);
        }

        var txn = new Transaction(VswitchSchema.Database);
        foreach (var mirror in bridgeSnapshot.Mirrors)
        {
            txn.Add(new SelectOperation(VswitchSchema.Mirror, Where.Uuid(mirror),
                withPortSets ? MirrorSnapshot.FullColumns : MirrorSnapshot.DetachColumns));
        }

        var second = connection.Transact(txn).ThrowIfAnyFailed();
        var mirrors = new List<MirrorSnapshot>(bridgeSnapshot.Mirrors.Count);
        foreach (var result in second.Results)
        {
            mirrors.AddRange(result.Rows.Select(MirrorSnapshot.FromFullRow));
        }

        return new BridgeMirrorsSnapshot(bridgeSnapshot, mirrors);
    }
}
