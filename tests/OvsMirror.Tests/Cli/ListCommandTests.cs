using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Tests.Cli;

/// <summary><c>ovs-mirrorctl list</c> against a real ovsdb-server and ovs-vswitchd; ovs-vsctl / ovn-nbctl are the oracles.</summary>
public sealed class ListCommandTests
{
    private static JsonObject Mirror(JsonObject list, string bridge, string name) =>
        list["scopes"]!.AsArray().Single(s => s!["scope"]!.GetValue<string>() == "bridge " + bridge)!["mirrors"]!.AsArray()
            .Single(m => m!["name"]!.GetValue<string>() == name)!.AsObject();

    private static long TxPackets(JsonObject mirror) => mirror["txPackets"]?.GetValue<long>() ?? -1;

    [OvsFact]
    public async Task List_WithTrafficFlowing_ShowsPodsAsMembers_TheConsumer_AndTxPacketsGrowing()
    {
        await using var sandbox = await OvsSandbox.StartAsync();
        var cli = new CliHarness(sandbox);
        await sandbox.AddBridgeAsync("br1");
        var p1 = await sandbox.AddHostAsync("p1", "br1", "10.97.0.1/24");
        await sandbox.AddHostAsync("p2", "br1", "10.97.0.2/24");
        await sandbox.AddHostAsync("c1", "br1", "10.97.0.9/24");
        cli.Add(cli.BridgeConfig("br1", [new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("src_port", "dst_port") }]),
            "p1", "cp1", "eth1", "default", "web-1");
        cli.Add(cli.BridgeConfig("br1", [new JsonObject { ["name"] = "m1", ["output"] = "port" }]), "c1", "cc1", "eth2", "ids", "sensor");

        using var stop = new CancellationTokenSource();
        var ping = sandbox.ExecInNetnsAsync(p1, [OvsTools.Find("ping") ?? "ping", "-i", "0.2", "-c", "300", "10.97.0.2"],
            TimeSpan.FromSeconds(90), stop.Token);
        try
        {
            var bound = TimeSpan.FromSeconds(40); // ovs-vswitchd refreshes Mirror:statistics every 5 s at the fastest
            var first = await CliHarness.WaitForAsync(() => Mirror(cli.ListJson("--socket", sandbox.DbEndpoint), "br1", "m1"),
                m => TxPackets(m) > 0, bound, "m1 tx_packets > 0");
            var later = await CliHarness.WaitForAsync(() => Mirror(cli.ListJson("--socket", sandbox.DbEndpoint), "br1", "m1"),
                m => TxPackets(m) > TxPackets(first), bound, "m1 tx_packets growing");

            TxPackets(later).Should().BeGreaterThan(TxPackets(first));
            later["txBytes"]!.GetValue<long>().Should().BeGreaterThan(first["txBytes"]!.GetValue<long>());
            var oracle = await sandbox.VsctlAsync("get", "Mirror", "m1", "statistics:tx_packets");
            long.Parse(oracle.Trim(), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(TxPackets(later));

            later["owner"]!.GetValue<string>().Should().Be("ovs-mirror");
            later["selection"]!.GetValue<string>().Should().Be("src p1; dst p1");
            later["output"]!.GetValue<string>().Should().Be("port c1");
            later["consumer"]!.GetValue<string>().Should().Be("ids/sensor eth2 (c1)");
            later["members"]!.AsArray().Select(m => m!["display"]!.GetValue<string>())
                .Should().Equal("ids/sensor eth2 (c1)", "default/web-1 eth1 (p1)");
            later["members"]![1]!["podUid"]!.GetValue<string>().Should().Be("uid-web-1");

            var (exit, table, _) = cli.Cli("list", "--socket", sandbox.DbEndpoint, "--bridge", "br1");
            exit.Should().Be(0);
            table.Should().Contain("bridge br1: 1 mirror(s); statistics refreshed every 5000 ms")
                .And.MatchRegex(@"m1\s+ovs-mirror\s+src p1; dst p1\s+port c1 = ids/sensor eth2 \(c1\)\s+\d+\s+\d+")
                .And.Contain("producer  default/web-1 eth1 (p1)");
        }
        finally
        {
            await stop.CancelAsync();
            await ping.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [OvsFact]
    public async Task List_ReadsRecordsAsMainWritesThem_MarksGonePorts_AndShowsRspanAndMirrorsItDoesNotOwn()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        var cli = new CliHarness(sandbox);
        await sandbox.AddBridgeAsync("br1");
        await sandbox.AddPortOnlyAsync("br1", "pold");
        var port = (await sandbox.VsctlAsync("get", "Port", "pold", "_uuid")).Trim();

        // A record exactly as main's AttachmentRecord.Format writes it (no pod fields), and one whose port is gone.
        await sandbox.VsctlAsync("--", "--id=@m", "create", "Mirror", "name=rspan", "output_vlan=999",
            "external_ids:ovs-mirror/owner=ovs-mirror",
            $"external_ids:\"ovs-mirror/a/0123456789abcdef/eth1\"=\"v1;role=producer;net=net1;uuid={port};sel=src;port=pold\"",
            "external_ids:\"ovs-mirror/a/c2/eth1\"=\"v1;role=producer;net=net1;uuid=00000000-0000-0000-0000-000000000009;sel=src;port=pgone\"",
            "--", "add", "Bridge", "br1", "mirrors", "@m");
        await sandbox.VsctlAsync("--", "--id=@m", "create", "Mirror", "name=manual", "select_all=true", "--", "add", "Bridge", "br1", "mirrors", "@m");

        var list = cli.ListJson("--socket", sandbox.DbEndpoint, "--bridge", "br1");

        var rspan = Mirror(list, "br1", "rspan");
        rspan["output"]!.GetValue<string>().Should().Be("vlan 999");
        rspan["members"]!.AsArray().Select(m => m!["display"]!.GetValue<string>())
            .Should().Equal("container 0123456789ab eth1 (pold)", "container c2 eth1 (pgone) [gone]");
        var manual = Mirror(list, "br1", "manual");
        manual["owner"]!.GetValue<string>().Should().Be("other");
        manual["selection"]!.GetValue<string>().Should().Be("all");
        manual["output"]!.GetValue<string>().Should().Be("none");
    }

    [OvsFact(RequiresNorthbound = true)]
    public async Task List_OvnNb_ShowsTheMirrorItsSinkAndTheLspsPod()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false, withNorthbound: true);
        var cli = new CliHarness(sandbox);
        await cli.AttachOvnPodAsync();

        var list = cli.ListJson("--ovn-nb", sandbox.NbEndpoint!);

        var mirror = list["scopes"]![0]!["mirrors"]![0]!;
        mirror["name"]!.GetValue<string>().Should().Be("mirror1");
        mirror["selection"]!.GetValue<string>().Should().Be("from-lport of pod1.default");
        mirror["output"]!.GetValue<string>().Should().Be("gre index 99 to 172.19.0.21");
        mirror["members"]![0]!["display"]!.GetValue<string>().Should().Be("default/pod1 net1 (pod1.default)");
        (await sandbox.NbctlAsync("--bare", "--columns=sink", "list", "Mirror")).Trim().Should().Be("172.19.0.21");
    }
}
