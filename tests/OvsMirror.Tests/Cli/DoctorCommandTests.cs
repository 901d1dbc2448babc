using System.Globalization;
using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Tests.Cli;

/// <summary><c>ovs-mirrorctl doctor</c> against real ovsdb-server, ovs-vswitchd and OVN Northbound; ovs-vsctl and ovn-nbctl make the problems.</summary>
public sealed class DoctorCommandTests
{
    private static readonly JsonArray ProducerOfM1 = new() { new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("src_port") } };

    private static readonly JsonArray ConsumerOfM1 = new() { new JsonObject { ["name"] = "m1", ["output"] = "port" } };

    private static (int Exit, JsonObject Report, Dictionary<string, JsonObject> Checks) Doctor(CliHarness cli, params string[] args)
    {
        var (exit, stdout, stderr) = cli.Cli(["doctor", "-o", "json", .. args]);
        var report = JsonNode.Parse(stdout.Length > 0 ? stdout : throw new InvalidOperationException(stderr))!.AsObject();
        var checks = report["checks"]!.AsArray().Select(c => c!.AsObject()).ToDictionary(c => c["check"]!.GetValue<string>());
        return (exit, report, checks);
    }

    private static string Status(JsonObject check) => check["status"]!.GetValue<string>();

    [OvsFact]
    public async Task Doctor_OnAHealthyNodeWithAProducerAndItsConsumer_PassesEveryCheck()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: true);
        var cli = new CliHarness(sandbox);
        await sandbox.AddBridgeAsync("br1");
        await sandbox.AddPortOnlyAsync("br1", "pa");
        await sandbox.AddPortOnlyAsync("br1", "pc");
        cli.Add(cli.BridgeConfig("br1", ProducerOfM1), "pa", "ca", "eth1", "default", "a");
        cli.Add(cli.BridgeConfig("br1", ConsumerOfM1), "pc", "cc", "eth1", "default", "ids");

        var (exit, report, checks) = Doctor(cli, "--socket", sandbox.DbEndpoint);

        exit.Should().Be(0);
        report["healthy"]!.GetValue<bool>().Should().BeTrue();
        checks.Values.Should().OnlyContain(c => Status(c) == "pass", report.ToJsonString());
        var schemaVersion = (await ProcessRunner.RunAsync("ovsdb-client", ["get-schema-version", sandbox.DbEndpoint, "Open_vSwitch"]))
            .EnsureSuccess().StandardOutput.Trim();
        checks["OVS version"]["detail"]!.GetValue<string>().Should().EndWith("schema " + schemaVersion);
        checks["ovs-vswitchd control socket"]["detail"]!.GetValue<string>().Should().Contain("ovs-vswitchd (Open vSwitch)");
        checks["mirrors on bridge br1"]["detail"]!.GetValue<string>().Should().Be("bridge br1: 1 of 32");
    }

    [OvsFact]
    public async Task Doctor_WarnsOfAMirrorWithoutOutput_StaleRecords_AndAMissingVswitchd_WithAFixForEach()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        var cli = new CliHarness(sandbox);
        await sandbox.AddBridgeAsync("br1");
        await sandbox.AddPortOnlyAsync("br1", "pa");
        await sandbox.AddPortOnlyAsync("br1", "pb");
        cli.Add(cli.BridgeConfig("br1", ProducerOfM1), "pa", "ca", "eth1", "default", "a");
        cli.Add(cli.BridgeConfig("br1", ProducerOfM1), "pb", "cb", "eth1", "default", "b");
        await sandbox.VsctlAsync("del-port", "br1", "pb");

        var (exit, _, checks) = Doctor(cli, "--socket", sandbox.DbEndpoint);

        exit.Should().Be(0, "warnings are not failures");
        Status(checks["ovs-vswitchd control socket"]).Should().Be("warn");
        Status(checks["outputs on bridge br1"]).Should().Be("warn");
        checks["outputs on bridge br1"]["detail"]!.GetValue<string>().Should().Be("1 mirror(s) copy to nowhere: m1");
        Status(checks["stale records on bridge br1"]).Should().Be("warn");
        checks["stale records on bridge br1"]["detail"]!.GetValue<string>().Should().StartWith("1 attachment(s) whose port is gone");
        checks["stale records on bridge br1"]["fix"]!.GetValue<string>().Should().Contain("ovs-mirrorctl gc --dry-run");
        checks.Values.Where(c => Status(c) != "pass").Should().OnlyContain(c => c["fix"] != null);

        // After the fix doctor gives, the stale record is gone.
        cli.Cli("gc", "--yes", "--socket", sandbox.DbEndpoint).Exit.Should().Be(0);
        Status(Doctor(cli, "--socket", sandbox.DbEndpoint).Checks["stale records on bridge br1"]).Should().Be("pass");
    }

    [OvsFact]
    public async Task Doctor_FailsAtThe32MirrorLimit_WarnsNearIt_AndFailsWhenOvsdbIsUnreachable()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        var cli = new CliHarness(sandbox);
        await sandbox.AddBridgeAsync("br1");
        await AddMirrorsAsync(sandbox, "br1", 0, 28);

        var near = Doctor(cli, "--socket", sandbox.DbEndpoint);
        near.Exit.Should().Be(0);
        Status(near.Checks["mirrors on bridge br1"]).Should().Be("warn");

        await AddMirrorsAsync(sandbox, "br1", 28, 4);
        (await sandbox.VsctlAsync("--bare", "--columns=mirrors", "list", "Bridge", "br1")).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Should().HaveCount(32, "the oracle counts the bridge's mirrors");
        var full = Doctor(cli, "--socket", sandbox.DbEndpoint);
        full.Exit.Should().Be(3);
        full.Report["healthy"]!.GetValue<bool>().Should().BeFalse();
        Status(full.Checks["mirrors on bridge br1"]).Should().Be("fail");
        full.Checks["mirrors on bridge br1"]["detail"]!.GetValue<string>().Should().Be("bridge br1: 32 of 32");

        var gone = Doctor(cli, "--socket", "unix:" + Path.Combine(sandbox.Directory, "absent.sock"));
        gone.Exit.Should().Be(3);
        gone.Checks.Keys.Should().Equal("OVSDB reachable");
        Status(gone.Checks["OVSDB reachable"]).Should().Be("fail");
    }

    [OvsFact]
    public async Task Doctor_SeesAStalledVswitchdFallBehind_AndCatchUpWhenItResumes()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: true);
        var cli = new CliHarness(sandbox);
        await sandbox.AddBridgeAsync("br1");
        sandbox.PauseVswitchd();
        try
        {
            // A change ovs-vswitchd must apply (next_cfg + 1), as ovs-vsctl without --no-wait makes; no wait for it here.
            var next = long.Parse((await sandbox.VsctlAsync("get", "Open_vSwitch", ".", "next_cfg")).Trim(), CultureInfo.InvariantCulture);
            await sandbox.VsctlAsync("--no-wait", "set", "Open_vSwitch", ".", $"next_cfg={next + 1}");

            var behind = Doctor(cli, "--socket", sandbox.DbEndpoint, "--timeout-ms", "2000");
            behind.Exit.Should().Be(0);
            Status(behind.Checks["ovs-vswitchd applied the database"]).Should().Be("warn");
            behind.Checks["ovs-vswitchd applied the database"]["detail"]!.GetValue<string>().Should().Contain($"next_cfg {next + 1}");
            Status(behind.Checks["ovs-vswitchd control socket"]).Should().Be("warn", "a stopped ovs-vswitchd does not answer");
        }
        finally
        {
            sandbox.ResumeVswitchd();
        }

        await CliHarness.WaitForAsync(() => Doctor(cli, "--socket", sandbox.DbEndpoint).Checks["ovs-vswitchd applied the database"],
            c => Status(c) == "pass", TimeSpan.FromSeconds(60), "cur_cfg catching up");
    }

    [OvsFact(RequiresNorthbound = true)]
    public async Task Doctor_WithOvnNb_ChecksNorthboundAndItsStaleRecords()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false, withNorthbound: true);
        var cli = new CliHarness(sandbox);
        await sandbox.AddBridgeAsync("br1");
        await cli.AttachOvnPodAsync();
        await sandbox.NbctlAsync("lsp-del", "pod1.default");

        var (exit, _, checks) = Doctor(cli, "--socket", sandbox.DbEndpoint, "--ovn-nb", sandbox.NbEndpoint!);

        exit.Should().Be(0);
        Status(checks["OVN Northbound reachable"]).Should().Be("pass");
        checks["OVN Northbound schema"]["detail"]!.GetValue<string>().Should().StartWith("OVN_Northbound ").And.EndWith("Mirror table yes");
        Status(checks["stale records on OVN Northbound"]).Should().Be("warn");

        var unreachable = Doctor(cli, "--socket", sandbox.DbEndpoint, "--ovn-nb", "unix:" + Path.Combine(sandbox.Directory, "absent-nb.sock"));
        unreachable.Exit.Should().Be(3);
        Status(unreachable.Checks["OVN Northbound reachable"]).Should().Be("fail");
    }

    private static async Task AddMirrorsAsync(OvsSandbox sandbox, string bridge, int from, int count)
    {
        var args = new List<string>();
        for (var i = from; i < from + count; i++)
        {
            args.AddRange(["--", $"--id=@m{i}", "create", "Mirror", $"name=x{i}", "--", "add", "Bridge", bridge, "mirrors", $"@m{i}"]);
        }

        await sandbox.VsctlAsync([.. args]);
    }
}
