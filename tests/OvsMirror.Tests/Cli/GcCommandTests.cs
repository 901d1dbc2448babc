using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Tests.Cli;

/// <summary><c>ovs-mirrorctl gc</c> against a real ovsdb-server; ovs-vsctl and ovn-nbctl are the oracles.</summary>
public sealed class GcCommandTests
{
    private static async Task<string> ExternalIdsAsync(OvsSandbox sandbox, string mirror) =>
        (await sandbox.VsctlAsync("get", "Mirror", mirror, "external_ids")).Trim();

    [OvsFact]
    public async Task Gc_NeedsDryRunOrYes_DryRunChangesNothing_YesRemovesWhatIsStale()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        var cli = new CliHarness(sandbox);
        await sandbox.AddBridgeAsync("br1");
        await sandbox.AddPortOnlyAsync("br1", "pa");
        await sandbox.AddPortOnlyAsync("br1", "pb");
        var m1 = new JsonArray { new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("src_port") } };
        cli.Add(cli.BridgeConfig("br1", m1), "pa", "ca", "eth1", "default", "a");
        cli.Add(cli.BridgeConfig("br1", m1), "pb", "cb", "eth1", "default", "b");
        await sandbox.VsctlAsync("del-port", "br1", "pb");
        await sandbox.VsctlAsync("set", "Mirror", "m1", "external_ids:\"ovs-mirror/a/cx/eth1\"=\"v9;unknown\"");
        await sandbox.VsctlAsync("--", "--id=@m", "create", "Mirror", "name=orphan", "external_ids:ovs-mirror/owner=ovs-mirror",
            "--", "add", "Bridge", "br1", "mirrors", "@m");
        var before = await ExternalIdsAsync(sandbox, "m1");

        var refused = cli.Cli("gc", "--socket", sandbox.DbEndpoint);
        refused.Exit.Should().Be(2);
        refused.Stderr.Should().Contain("--dry-run").And.Contain("--yes");

        var dry = cli.Cli("gc", "--dry-run", "--socket", sandbox.DbEndpoint, "--bridge", "br1");
        dry.Exit.Should().Be(0, dry.Stderr);
        dry.Stdout.Should().Contain("bridge br1: would remove 1 attachment(s), 1 empty mirror(s), 1 unreadable record(s)")
            .And.Contain("attachment m1: default/b eth1 (pb) [gone]")
            .And.Contain("empty mirror orphan")
            .And.Contain("unreadable record m1: ovs-mirror/a/cx/eth1");
        (await ExternalIdsAsync(sandbox, "m1")).Should().Be(before, "a dry run changes nothing");
        (await sandbox.VsctlAsync("--bare", "--columns=name", "list", "Mirror")).Should().Contain("orphan");

        var done = cli.Cli("gc", "--yes", "-o", "json", "--socket", sandbox.DbEndpoint);
        done.Exit.Should().Be(0, done.Stderr);
        var report = JsonNode.Parse(done.Stdout)!["scopes"]![0]!;
        report["attachments"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("m1: default/b eth1 (pb) [gone]");
        report["emptyMirrors"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("orphan");

        var after = await ExternalIdsAsync(sandbox, "m1");
        after.Should().Contain("ovs-mirror/a/ca/eth1").And.NotContain("ovs-mirror/a/cb/eth1").And.NotContain("ovs-mirror/a/cx/eth1");
        (await sandbox.VsctlAsync("--bare", "--columns=name", "list", "Mirror")).Trim().Should().Be("m1");
        (await sandbox.VsctlAsync("get", "Mirror", "m1", "select_src_port")).Trim()
            .Should().Be("[" + (await sandbox.VsctlAsync("get", "Port", "pa", "_uuid")).Trim() + "]");
    }

    [OvsFact(RequiresNorthbound = true)]
    public async Task Gc_OvnNb_RemovesTheAttachmentOfADeletedLsp_AndTheMirrorLeftEmpty()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false, withNorthbound: true);
        var cli = new CliHarness(sandbox);
        await cli.AttachOvnPodAsync();
        await sandbox.NbctlAsync("lsp-del", "pod1.default");

        var dry = cli.Cli("gc", "--dry-run", "--ovn-nb", sandbox.NbEndpoint!);
        dry.Exit.Should().Be(0, dry.Stderr);
        dry.Stdout.Should().Contain("attachment mirror1: default/pod1 net1 (pod1.default) [gone]");
        (await sandbox.NbctlAsync("--bare", "--columns=name", "list", "Mirror")).Trim().Should().Be("mirror1");

        var done = cli.Cli("gc", "--yes", "--ovn-nb", sandbox.NbEndpoint!);
        done.Exit.Should().Be(0, done.Stderr);
        done.Stdout.Should().Contain("OVN Northbound: removed 1 attachment(s)");
        (await sandbox.NbctlAsync("--bare", "--columns=name", "list", "Mirror")).Trim().Should().BeEmpty();
    }
}
