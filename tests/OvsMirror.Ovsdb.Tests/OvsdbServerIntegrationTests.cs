using System.Diagnostics;
using OvsMirror.Ovsdb;
using OvsMirror.Testing;

namespace OvsMirror.Ovsdb.Tests;

/// <summary>
/// The client against a real ovsdb-server (vswitch.ovsschema) in a temp dir. The oracle is ovs-vsctl,
/// which shares no code with the client.
/// </summary>
public sealed class OvsdbServerIntegrationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private static async Task<(OvsSandbox Sandbox, OvsdbConnection Connection)> StartAsync(params string[] ports)
    {
        var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        foreach (var port in ports)
        {
            await sandbox.AddPortOnlyAsync("br1", port);
        }

        var connection = OvsdbConnection.Connect(OvsdbEndpoint.Parse(sandbox.DbEndpoint), Deadline);
        return (sandbox, connection);
    }

    private static async Task<Guid> PortUuidAsync(OvsSandbox sandbox, string port) =>
        Guid.Parse((await sandbox.VsctlAsync("get", "Port", port, "_uuid")).Trim());

    private static Transaction CreateIfAbsent(string mirror, Guid port) => new Transaction("Open_vSwitch")
        .WaitAbsent("Mirror", Where.Eq("name", mirror))
        .Insert("Mirror", new OvsdbRow().Set("name", mirror).Set("select_src_port", OvsdbSet.Of(OvsdbAtom.FromUuid(port))), "m")
        .Mutate("Bridge", Where.Eq("name", "br1"), Mutation.Insert("mirrors", OvsdbAtom.FromNamedUuid("m")));

    [OvsFact]
    public async Task MirrorInsertedAndReferencedFromBridge_InOneTransaction_IsThere()
    {
        var (sandbox, connection) = await StartAsync("p1");
        await using var _ = sandbox;
        using var __ = connection;
        var port = await PortUuidAsync(sandbox, "p1");

        var result = (connection.Transact(CreateIfAbsent("m1", port))).ThrowIfAnyFailed();

        var mirror = result[1].Uuid!.Value;
        (await sandbox.VsctlAsync("get", "Bridge", "br1", "mirrors")).Trim().Should().Be($"[{mirror}]");
        (await sandbox.VsctlAsync("get", "Mirror", "m1", "select_src_port")).Trim().Should().Be($"[{port}]");

        // And read back through the client: the one-element set comes as a bare atom.
        var read = (connection.Transact(new Transaction("Open_vSwitch")
            .Select("Mirror", Where.Uuid(mirror), "select_src_port", "name"))).ThrowIfAnyFailed();
        read[0].Rows.Should().ContainSingle().Which.GetAtoms("select_src_port").Single().AsUuid().Should().Be(port);
    }

    [OvsFact]
    public async Task MirrorInsertedWithoutBridgeReference_IsGoneAfterCommit()
    {
        var (sandbox, connection) = await StartAsync();
        await using var _ = sandbox;
        using var __ = connection;

        var result = (connection.Transact(new Transaction("Open_vSwitch")
            .Insert("Mirror", new OvsdbRow().Set("name", "orphan")))).ThrowIfAnyFailed();

        result[0].Uuid.Should().NotBeNull("the insert itself succeeded");
        (await sandbox.VsctlAsync("--bare", "--columns=_uuid", "list", "Mirror")).Trim().Should().BeEmpty(
            "Mirror is not a root table: a row no Bridge references is garbage-collected at commit");
    }

    [OvsFact]
    public async Task SecondCreateIfAbsent_FailsWithTimedOut_AndLeavesOneMirror()
    {
        var (sandbox, connection) = await StartAsync("p1", "p2");
        await using var _ = sandbox;
        using var __ = connection;
        var p1 = await PortUuidAsync(sandbox, "p1");
        var p2 = await PortUuidAsync(sandbox, "p2");

        var first = connection.Transact(CreateIfAbsent("m1", p1));
        var second = connection.Transact(CreateIfAbsent("m1", p2));

        first.Committed.Should().BeTrue();
        var failure = second.FirstFailure!;
        failure.OperationIndex.Should().Be(0);
        failure.Operation.Should().Be("wait");
        failure.Error.Should().Be("timed out");
        failure.IsWaitTimeout.Should().BeTrue();
        (await sandbox.VsctlAsync("--bare", "--columns=_uuid", "find", "Mirror", "name=m1"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle();
        (await sandbox.VsctlAsync("get", "Mirror", "m1", "select_src_port")).Trim().Should().Be($"[{p1}]");
    }

    [OvsFact]
    public async Task FiftyParallelConnections_MutateInsertingDifferentPorts_KeepAllFifty()
    {
        var ports = Enumerable.Range(0, 50).Select(i => $"p{i}").ToArray();
        var args = new List<string> { "add-br", "br1" };
        foreach (var p in ports)
        {
            args.AddRange(["--", "add-port", "br1", p, "--", "set", "interface", p, "type=internal"]);
        }

        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync([.. args], CancellationToken.None);
        await sandbox.VsctlAsync("--", "--id=@m", "create", "Mirror", "name=m1", "--", "add", "Bridge", "br1", "mirrors", "@m");
        var uuids = new Dictionary<string, Guid>();
        foreach (var line in (await sandbox.VsctlAsync("--bare", "--columns=name,_uuid", "--format=csv", "--no-headings", "list", "Port"))
                     .Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(',');
            uuids[parts[0]] = Guid.Parse(parts[1]);
        }

        var endpoint = OvsdbEndpoint.Parse(sandbox.DbEndpoint);
        var connections = ports.Select(_ => OvsdbConnection.Connect(endpoint, Deadline)).ToArray();
        try
        {
            // All 50 connected first, each on its own thread, then released by one barrier, so the
            // requests meet in the server.
            using var barrier = new Barrier(connections.Length);
            var results = new TransactionResult[connections.Length];
            var threads = connections.Select((connection, i) => new Thread(() =>
            {
                barrier.SignalAndWait();
                results[i] = connection.Transact(new Transaction("Open_vSwitch").Mutate("Mirror", Where.Eq("name", "m1"),
                    Mutation.Insert("select_src_port", OvsdbAtom.FromUuid(uuids[ports[i]]))));
            })).ToArray();
            foreach (var thread in threads)
            {
                thread.Start();
            }

            foreach (var thread in threads)
            {
                thread.Join();
            }

            results.Should().OnlyContain(r => r.Committed && r[0].Count == 1);
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }

        var kept = (await sandbox.VsctlAsync("get", "Mirror", "m1", "select_src_port")).Trim().Trim('[', ']')
            .Split(", ", StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse);
        kept.Should().BeEquivalentTo(ports.Select(p => uuids[p]), "every one of the 50 concurrent inserts is kept");
    }

    [OvsFact]
    public async Task CallToAPausedServer_FailsWithinItsDeadline()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        using var connection = OvsdbConnection.Connect(OvsdbEndpoint.Parse(sandbox.DbEndpoint), TimeSpan.FromSeconds(1));
        sandbox.Pause();
        try
        {
            var clock = Stopwatch.StartNew();

            var act = () => connection.Transact(new Transaction("Open_vSwitch").Select("Bridge", Where.All));

            // A paused server never answers, so the outcome is certain; the bounds only rule out "early" and "hang".
            act.Should().Throw<OvsdbTimeoutException>().WithMessage("*within 1000 ms*");
            clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
        }
        finally
        {
            sandbox.Resume();
        }
    }

    [OvsFact]
    public async Task ConnectToAStoppedServer_FailsAtOnce()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.StopOvsdbServerAsync();
        var clock = Stopwatch.StartNew();

        var act = () => OvsdbConnection.Connect(OvsdbEndpoint.Parse(sandbox.DbEndpoint), TimeSpan.FromSeconds(60));

        // A connection error (not a timeout) is what "at once" means; the bound is far below the 60 s deadline.
        act.Should().Throw<OvsdbConnectionException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
    }

    [OvsFact]
    public async Task CallInFlightWhenTheServerStops_FailsAsAConnectionError()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        using var connection = OvsdbConnection.Connect(OvsdbEndpoint.Parse(sandbox.DbEndpoint), Deadline);
        connection.Echo();

        await sandbox.StopOvsdbServerAsync();
        var act = () => connection.Echo();

        act.Should().Throw<OvsdbConnectionException>();
    }

    [OvsFact]
    public async Task CommitFailure_IsReportedAsTheTrailingCommitError()
    {
        var (sandbox, connection) = await StartAsync();
        await using var _ = sandbox;
        using var __ = connection;

        var result = connection.Transact(new Transaction("Open_vSwitch").Insert("Bridge",
            new OvsdbRow().Set("name", "brX").Set("ports", OvsdbSet.Of(OvsdbAtom.FromUuid(Guid.NewGuid())))));

        var failure = result.FirstFailure!;
        failure.Operation.Should().Be("commit");
        failure.OperationIndex.Should().Be(1);
        failure.Error.Should().Be(OvsdbErrors.ReferentialIntegrityViolation);
    }

    [OvsFact]
    public async Task UnknownDatabase_IsAnRpcError()
    {
        var (sandbox, connection) = await StartAsync();
        await using var _ = sandbox;
        using var __ = connection;

        var act = () => connection.Transact(new Transaction("Nope").Comment("x"));

        act.Should().Throw<OvsdbRpcException>().Which.Error.Should().Be(OvsdbErrors.UnknownDatabase);
    }

    [OvsFact]
    public async Task ListDbsAndSchema_DescribeTheRealServer()
    {
        var (sandbox, connection) = await StartAsync();
        await using var _ = sandbox;
        using var __ = connection;

        connection.ListDatabases().Should().Contain("Open_vSwitch");
        var schema = connection.GetSchema("Open_vSwitch");
        schema.Name.Should().Be("Open_vSwitch");
        schema.Version.Should().MatchRegex(@"^\d+\.\d+\.\d+$");
        schema.HasColumn("Mirror", "select_src_port").Should().BeTrue();
        schema.HasColumn("Mirror", "no_such_column").Should().BeFalse();
        schema.HasTable("Mirror").Should().BeTrue();
    }
}
