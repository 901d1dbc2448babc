using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// DEL with prevResult (what libcni sends for cniVersion 0.4.0 and later) finds the attachment's records from the locator
/// entries ADD keeps on the Port, and reads nothing that grows with a mirror's members; every case it cannot decide from them
/// still removes the records, through the full read. A real ovsdb-server; ovs-vsctl is the oracle, and the server's own log
/// of the requests it received shows what a DEL read.
/// </summary>
public sealed class LocatedDelTests
{
    private static readonly JsonArray ProducerSrc = [new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("src_port") }];
    private static readonly JsonArray ConsumerPort = [new JsonObject { ["name"] = "m1", ["output"] = "port" }];

    private static async Task<(OvsSandbox, PluginHarness)> StartAsync()
    {
        var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        await sandbox.AddPortsAsync("br1", "prod1", "prod2", "cons1");
        return (sandbox, new PluginHarness(sandbox));
    }

    private static PluginRun DelWithPrevResult(PluginHarness plugin, string hostPort, string containerId, string ifName = "eth1") =>
        plugin.Run("DEL", PluginHarness.WithPrevResult(plugin.Config("br1", null), hostPort), containerId, ifName);

    private static async Task<string> PortExternalIdsAsync(OvsSandbox sandbox, string port) =>
        (await sandbox.VsctlAsync("get", "Port", port, "external_ids")).Trim();

    private static async Task<string?> MapValueAsync(OvsSandbox sandbox, string table, string row, string column, string key)
    {
        var result = await sandbox.TryVsctlAsync(["--if-exists", "get", table, row, $"{column}:\"{key}\""]);
        result.ExitCode.Should().Be(0, result.StandardError);
        var text = result.StandardOutput.Trim();
        return text.Length == 0 ? null : text;
    }

    [OvsFact]
    public async Task Add_KeepsACopyOfEachRecordOnItsPort()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;

        plugin.Add("br1", "prod1", ProducerSrc, "p1").ShouldSucceed();

        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "m1");
        var record = await MapValueAsync(sandbox, "Mirror", mirror, "external_ids", "ovs-mirror/a/p1/eth1");
        record.Should().NotBeNull();
        (await MapValueAsync(sandbox, "Port", "prod1", "external_ids", "ovs-mirror/l/p1/eth1/m1")).Should().Be(record);
    }

    [OvsFact]
    public async Task Del_WithPrevResult_RemovesExactlyItsAttachment_InTwoTransactions_ReadingNoMirrorRecords()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        plugin.Add("br1", "cons1", ConsumerPort, "c1").ShouldSucceed();
        plugin.Add("br1", "prod1", ProducerSrc, "p1").ShouldSucceed();
        plugin.Add("br1", "prod2", ProducerSrc, "p2").ShouldSucceed();
        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "m1");
        var log = await RaceServerLog.EnableAsync(sandbox);
        var mark = log.Mark();

        DelWithPrevResult(plugin, "prod1", "p1").ShouldSucceed();

        (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should().Equal(await sandbox.PortUuidAsync("prod2"));
        (await sandbox.MirrorColumnAsync(mirror, "external_ids")).Should().NotContain("ovs-mirror/a/p1/").And.Contain("ovs-mirror/a/p2/");
        (await PortExternalIdsAsync(sandbox, "prod1")).Should().NotContain("ovs-mirror/");
        (await PortExternalIdsAsync(sandbox, "prod2")).Should().Contain("ovs-mirror/l/p2/eth1/m1");

        // The DEL ran in-process and returned, so its requests are in the log once a later request of ours is.
        await ProcessRunner.RunCheckedAsync(OvsTools.Require("ovsdb-client"),
            ["transact", sandbox.DbEndpoint, """["Open_vSwitch",{"op":"comment","comment":"after-the-del"}]"""]);
        var transactions = await WaitForAsync(log, mark, t => t.Exists(IsVsctlComment));
        var del = transactions.TakeWhile(t => !IsVsctlComment(t)).ToList();
        del.Should().HaveCount(2, "one read of the bridge and the port, then one commit");
        del.SelectMany(Operations).Where(op => (string?)op["op"] == "select" && (string?)op["table"] == "Mirror")
            .Where(op => op["columns"]!.AsArray().Any(c => (string?)c != "_uuid"))
            .Should().BeEmpty("a DEL located by its port reads no column of a mirror");

        DelWithPrevResult(plugin, "prod2", "p2").ShouldSucceed();
        DelWithPrevResult(plugin, "cons1", "c1").ShouldSucceed();
        (await sandbox.MirrorsAsync()).Should().BeEmpty("the last located DEL left the owned mirror empty, and it went");
        (await sandbox.BridgeMirrorsAsync("br1")).Should().BeEmpty();
    }

    [OvsFact]
    public async Task Del_WithPrevResult_OfARecordWithoutLocator_AsOlderVersionsWroteIt_StillRemovesIt()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        plugin.Add("br1", "prod1", ProducerSrc, "p1").ShouldSucceed();
        await sandbox.VsctlAsync("remove", "Port", "prod1", "external_ids", "ovs-mirror/l/p1/eth1/m1");

        DelWithPrevResult(plugin, "prod1", "p1").ShouldSucceed();

        (await sandbox.MirrorsAsync()).Should().BeEmpty();
    }

    [OvsFact]
    public async Task Del_WithPrevResult_WhenTheRecordNoLongerMatchesItsLocator_StillRemovesIt()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        plugin.Add("br1", "prod1", ProducerSrc, "p1").ShouldSucceed();
        plugin.Add("br1", "prod2", ProducerSrc, "p2").ShouldSucceed();
        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "m1");
        var record = (await MapValueAsync(sandbox, "Mirror", mirror, "external_ids", "ovs-mirror/a/p1/eth1"))!.Trim('"');
        await sandbox.VsctlAsync("set", "Mirror", mirror, $"external_ids:\"ovs-mirror/a/p1/eth1\"=\"{record.Replace("sel=src", "sel=src,dst", StringComparison.Ordinal)}\"");

        DelWithPrevResult(plugin, "prod1", "p1").ShouldSucceed();

        (await sandbox.MirrorColumnAsync(mirror, "external_ids")).Should().NotContain("ovs-mirror/a/p1/");
        (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should().Equal(await sandbox.PortUuidAsync("prod2"));
        (await PortExternalIdsAsync(sandbox, "prod1")).Should().NotContain("ovs-mirror/");
    }

    [OvsFact]
    public async Task Del_WithPrevResult_Again_AndAfterThePortIsGone_ChangesNothing()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        plugin.Add("br1", "prod1", ProducerSrc, "p1").ShouldSucceed();
        plugin.Add("br1", "prod2", ProducerSrc, "p2").ShouldSucceed();
        DelWithPrevResult(plugin, "prod1", "p1").ShouldSucceed();
        var after = await sandbox.DumpAsync();

        DelWithPrevResult(plugin, "prod1", "p1").ShouldSucceed();
        (await sandbox.DumpAsync()).Should().Be(after);
        await sandbox.VsctlAsync("del-port", "br1", "prod1");
        var withoutPort = await sandbox.DumpAsync();
        DelWithPrevResult(plugin, "prod1", "p1").ShouldSucceed();
        (await sandbox.DumpAsync()).Should().Be(withoutPort);
    }

    [OvsFact]
    public async Task Del_WithPrevResult_AfterThePortWasDeleted_RemovesTheRecordThroughTheFullRead()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        plugin.Add("br1", "prod1", ProducerSrc, "p1").ShouldSucceed();
        plugin.Add("br1", "prod2", ProducerSrc, "p2").ShouldSucceed();
        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "m1");
        await sandbox.VsctlAsync("del-port", "br1", "prod1");

        DelWithPrevResult(plugin, "prod1", "p1").ShouldSucceed();

        (await sandbox.MirrorColumnAsync(mirror, "external_ids")).Should().NotContain("ovs-mirror/a/p1/");
    }

    [OvsFact]
    public async Task Del_WithPrevResult_OfOneOfTwoAttachmentsOfAPort_KeepsThePortSelectedForTheOther()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        plugin.Add("br1", "prod1", ProducerSrc, "p1", "eth1").ShouldSucceed();
        plugin.Add("br1", "prod1", ProducerSrc, "p1", "eth2").ShouldSucceed();
        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "m1");
        var port = await sandbox.PortUuidAsync("prod1");

        DelWithPrevResult(plugin, "prod1", "p1", "eth1").ShouldSucceed();
        (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should().Equal(port);
        (await PortExternalIdsAsync(sandbox, "prod1")).Should().Contain("ovs-mirror/l/p1/eth2/m1").And.NotContain("ovs-mirror/l/p1/eth1/");

        DelWithPrevResult(plugin, "prod1", "p1", "eth2").ShouldSucceed();
        (await sandbox.MirrorsAsync()).Should().BeEmpty();
    }

    [OvsFact]
    public async Task Del_WithPrevResult_OfAProducerOfAllTraffic_RecomputesTheMirrorFromTheOthers()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        JsonArray all = [new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("all") }];
        plugin.Add("br1", "cons1", ConsumerPort, "c1").ShouldSucceed();
        plugin.Add("br1", "prod1", all, "p1").ShouldSucceed();
        plugin.Add("br1", "prod2", ProducerSrc, "p2").ShouldSucceed();
        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "m1");
        (await sandbox.MirrorColumnAsync(mirror, "select_all")).Should().Be("true");
        (await MapValueAsync(sandbox, "Port", "prod1", "external_ids", "ovs-mirror/l/p1/eth1/m1")).Should().Be("full");

        DelWithPrevResult(plugin, "prod1", "p1").ShouldSucceed();

        (await sandbox.MirrorColumnAsync(mirror, "select_all")).Should().Be("false");
        (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should().Equal(await sandbox.PortUuidAsync("prod2"));
        (await PortExternalIdsAsync(sandbox, "prod1")).Should().NotContain("ovs-mirror/", "the full read removes the locator too");
    }

    private static bool IsVsctlComment(JsonArray transaction) =>
        Operations(transaction).Any(op => (string?)op["op"] == "comment" && (string?)op["comment"] == "after-the-del");

    private static IEnumerable<JsonObject> Operations(JsonArray transaction) => transaction.Skip(1).OfType<JsonObject>();

    private static async Task<List<JsonArray>> WaitForAsync(RaceServerLog log, long mark, Predicate<List<JsonArray>> done)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var transactions = log.TransactionsSince(mark).ToList();
            if (done(transactions))
            {
                return transactions;
            }

            await Task.Delay(20, cts.Token);
        }
    }
}
