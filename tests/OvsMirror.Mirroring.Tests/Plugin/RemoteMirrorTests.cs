using System.Globalization;
using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// A producer entry's <c>remote</c> on an OVS bridge: the mirror outputs to a GRE/ERSPAN tunnel port made and
/// removed with it. State checked with ovs-vsctl against a real ovsdb-server.
/// </summary>
public sealed class RemoteMirrorTests
{
    internal static JsonObject Gre(string ip = "172.31.1.2", long key = 99) => new() { ["type"] = "gre", ["remoteIp"] = ip, ["key"] = key };

    internal static JsonArray RemoteProducer(JsonObject remote, string mirror = "mirror1") =>
        [new JsonObject { ["name"] = mirror, ["selection"] = new JsonArray("src_port", "dst_port"), ["remote"] = remote.DeepClone() }];

    private static async Task<(OvsSandbox, PluginHarness)> StartAsync(int producers = 3)
    {
        var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        await sandbox.AddPortsAsync("br1", [.. Enumerable.Range(1, producers).Select(i => "prod" + i.ToString(CultureInfo.InvariantCulture)), "cons1"]);
        return (sandbox, new PluginHarness(sandbox));
    }

    private static async Task<string[]> TunnelPortsAsync(OvsSandbox sandbox) =>
        (await sandbox.VsctlAsync("--bare", "--columns=name", "find", "Interface", "type!=internal"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [OvsFact]
    public async Task FirstProducer_CreatesTheTunnelAsOutput_AndTheLastOneRemovesMirrorAndTunnel()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;

        plugin.Add("br1", "prod1", RemoteProducer(Gre()), "p1").ShouldSucceed();
        plugin.Add("br1", "prod2", RemoteProducer(Gre()), "p2").ShouldSucceed();

        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "mirror1");
        var tunnel = (await TunnelPortsAsync(sandbox)).Should().ContainSingle().Subject;
        tunnel.Should().StartWith("omt").And.HaveLength(15);
        (await sandbox.VsctlAsync("get", "Interface", tunnel, "type")).Trim().Should().Be("gre");
        (await sandbox.VsctlAsync("get", "Interface", tunnel, "options")).Trim().Should().Be("{key=\"99\", remote_ip=\"172.31.1.2\"}");
        (await sandbox.MirrorColumnAsync(mirror, "output_port")).Should().Be(await sandbox.PortUuidAsync(tunnel));
        (await sandbox.VsctlAsync("list-ports", "br1")).Should().Contain(tunnel);
        (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should().BeEquivalentTo(
            [await sandbox.PortUuidAsync("prod1"), await sandbox.PortUuidAsync("prod2")]);
        plugin.Run("CHECK", PluginHarness.WithPrevResult(plugin.Config("br1", RemoteProducer(Gre())), "prod1"), "p1").ShouldSucceed();

        var checkOther = PluginHarness.WithPrevResult(plugin.Config("br1", RemoteProducer(Gre(key: 7))), "prod1");
        plugin.Run("CHECK", checkOther, "p1").ShouldFail(105, "mirror mirror1 outputs to remote \"gre;remote_ip=172.31.1.2;key=99\"");

        plugin.Del("br1", "p1").ShouldSucceed();
        (await TunnelPortsAsync(sandbox)).Should().Equal(tunnel);
        plugin.Del("br1", "p2").ShouldSucceed();
        plugin.Del("br1", "p2").ShouldSucceed();
        (await sandbox.MirrorsAsync()).Should().BeEmpty();
        (await TunnelPortsAsync(sandbox)).Should().BeEmpty("the tunnel goes with the mirror");
        (await sandbox.VsctlAsync("list-ports", "br1")).Should().NotContain("omt");
    }

    [OvsFact]
    public async Task Check_WhenTheTunnelPortWasDeleted_SaysSo_AndDelStillCleansUp()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        plugin.Add("br1", "prod1", RemoteProducer(Gre()), "p1").ShouldSucceed();
        var tunnel = (await TunnelPortsAsync(sandbox)).Should().ContainSingle().Subject;

        await sandbox.VsctlAsync("del-port", "br1", tunnel);

        plugin.Run("CHECK", PluginHarness.WithPrevResult(plugin.Config("br1", RemoteProducer(Gre())), "prod1"), "p1")
            .ShouldFail(105, $"its tunnel port {tunnel} is gone");
        plugin.Del("br1", "p1").ShouldSucceed();
        (await sandbox.MirrorsAsync()).Should().BeEmpty();
    }

    [OvsFact]
    public async Task TunnelNames_AreStableAndUniquePerBridgeAndMirror()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        await sandbox.VsctlAsync("add-br", "br2");
        await sandbox.AddPortsAsync("br2", "other1");

        plugin.Add("br1", "prod1", RemoteProducer(Gre(), "m-a"), "p1").ShouldSucceed();
        plugin.Add("br1", "prod2", RemoteProducer(Gre(), "m-b"), "p2").ShouldSucceed();
        plugin.Add("br2", "other1", RemoteProducer(Gre(), "m-a"), "p3").ShouldSucceed();
        var first = await TunnelPortsAsync(sandbox);
        first.Should().HaveCount(3).And.OnlyHaveUniqueItems();

        plugin.Del("br1", "p1").ShouldSucceed();
        plugin.Add("br1", "prod1", RemoteProducer(Gre(), "m-a"), "p1").ShouldSucceed();
        (await TunnelPortsAsync(sandbox)).Should().BeEquivalentTo(first, "a mirror's tunnel has the same name every time");
    }

    public static TheoryData<string, JsonObject, string, string> Tunnels => new()
    {
        { "GRE over IPv6", Gre("fd00::2", 7), "ip6gre", "{key=\"7\", remote_ip=\"fd00::2\"}" },
        {
            "ERSPAN v1", new JsonObject { ["type"] = "erspan", ["remoteIp"] = "172.31.1.2", ["key"] = 99, ["erspanVersion"] = 1, ["erspanIndex"] = 26 },
            "erspan", "{erspan_idx=\"0x1a\", erspan_ver=\"1\", key=\"99\", remote_ip=\"172.31.1.2\"}"
        },
        {
            "ERSPAN v2 over IPv6", new JsonObject { ["type"] = "erspan", ["remoteIp"] = "fd00::2", ["key"] = 5, ["erspanVersion"] = 2, ["erspanDir"] = 1, ["erspanHwid"] = 12 },
            "ip6erspan", "{erspan_dir=\"1\", erspan_hwid=\"0xc\", erspan_ver=\"2\", key=\"5\", remote_ip=\"fd00::2\"}"
        },
    };

    [OvsTheory]
    [MemberData(nameof(Tunnels))]
    public async Task Remote_GivesTheTunnelTypeAndOptions(string what, JsonObject remote, string type, string options)
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;

        plugin.Add("br1", "prod1", RemoteProducer(remote), "p1").ShouldSucceed();

        var tunnel = (await TunnelPortsAsync(sandbox)).Should().ContainSingle(what).Subject;
        (await sandbox.VsctlAsync("get", "Interface", tunnel, "type")).Trim().Should().Be(type, what);
        (await sandbox.VsctlAsync("get", "Interface", tunnel, "options")).Trim().Should().Be(options, what);
    }

    [OvsFact]
    public async Task ProducersThatDisagree_OrAConsumer_OnARemoteMirror_AreRefused_AndChangeNothing()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        plugin.Add("br1", "prod1", RemoteProducer(Gre()), "p1").ShouldSucceed();
        var before = await sandbox.DumpAsync();

        plugin.Add("br1", "prod2", RemoteProducer(Gre(key: 100)), "p2").ShouldFail(100, "every producer of a remote mirror must give the same remote");
        plugin.Add("br1", "prod2", RemoteProducer(Gre("172.31.1.3")), "p2").ShouldFail(100, "mirror mirror1 already outputs to a port");
        plugin.Add("br1", "cons1", new JsonArray(new JsonObject { ["name"] = "mirror1", ["output"] = "port" }), "c1")
            .ShouldFail(100, "mirror mirror1 already outputs to port");
        (await sandbox.DumpAsync()).Should().Be(before);

        // A plain producer may still join: it only adds its traffic.
        plugin.Add("br1", "prod3", new JsonArray(new JsonObject { ["name"] = "mirror1", ["selection"] = new JsonArray("src_port") }), "p3").ShouldSucceed();

        // And a remote on a mirror that already has a consumer is refused.
        plugin.Add("br1", "cons1", new JsonArray(new JsonObject { ["name"] = "m2", ["output"] = "port" }), "c2").ShouldSucceed();
        plugin.Add("br1", "prod2", RemoteProducer(Gre(), "m2"), "p4").ShouldFail(100, "mirror m2 already outputs to a port");
    }

    /// <param name="delWithPrevResult">DEL as libcni sends it for cniVersion 0.4.0 and later: p1's port locator then names a
    /// mirror that became remote after p1 joined it, and the DEL must still remove the mirror and its tunnel.</param>
    [OvsTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ARemoteProducer_JoiningAMirrorWithoutOutput_AddsTheTunnel(bool delWithPrevResult)
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        plugin.Add("br1", "prod1", new JsonArray(new JsonObject { ["name"] = "mirror1", ["selection"] = new JsonArray("src_port") }), "p1").ShouldSucceed();

        plugin.Add("br1", "prod2", RemoteProducer(Gre()), "p2").ShouldSucceed();

        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "mirror1");
        var tunnel = (await TunnelPortsAsync(sandbox)).Should().ContainSingle().Subject;
        (await sandbox.MirrorColumnAsync(mirror, "output_port")).Should().Be(await sandbox.PortUuidAsync(tunnel));
        PluginRun Del(string port, string id) => delWithPrevResult
            ? plugin.Run("DEL", PluginHarness.WithPrevResult(plugin.Config("br1", null), port), id)
            : plugin.Del("br1", id);
        Del("prod2", "p2").ShouldSucceed();
        Del("prod1", "p1").ShouldSucceed();
        (await sandbox.MirrorsAsync()).Should().BeEmpty();
        (await TunnelPortsAsync(sandbox)).Should().BeEmpty();
    }

    /// <summary>Regression (issue 9 §2.1): each joined mirror's tunnel got the uuid-name "t", so the ADD was code 5.</summary>
    [OvsFact]
    public async Task OneAdd_JoiningTwoExistingMirrorsWithRemotes_AddsOneTunnelToEach()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        var plain = new JsonArray(
            new JsonObject { ["name"] = "r-a", ["selection"] = new JsonArray("src_port") },
            new JsonObject { ["name"] = "r-b", ["selection"] = new JsonArray("src_port") });
        plugin.Add("br1", "prod1", plain, "p1").ShouldSucceed();

        var remotes = new JsonArray(
            RemoteProducer(Gre("172.31.9.2", 1), "r-a")[0]!.DeepClone(),
            RemoteProducer(Gre("172.31.9.2", 2), "r-b")[0]!.DeepClone());
        plugin.Add("br1", "prod2", remotes, "p2").ShouldSucceed();

        var tunnels = await TunnelPortsAsync(sandbox);
        tunnels.Should().HaveCount(2).And.OnlyHaveUniqueItems();
        var tunnelByPortUuid = new Dictionary<string, string>();
        foreach (var name in tunnels)
        {
            tunnelByPortUuid[await sandbox.PortUuidAsync(name)] = name;
        }

        foreach (var (mirrorName, key) in new[] { ("r-a", "1"), ("r-b", "2") })
        {
            var mirror = await sandbox.MirrorOnBridgeAsync("br1", mirrorName);
            var tunnel = tunnelByPortUuid[await sandbox.MirrorColumnAsync(mirror, "output_port")];
            (await sandbox.VsctlAsync("get", "Interface", tunnel, "options:key")).Trim().Should().Be($"\"{key}\"", mirrorName);
        }

        plugin.Del("br1", "p2").ShouldSucceed();
        plugin.Del("br1", "p1").ShouldSucceed();
        (await sandbox.MirrorsAsync()).Should().BeEmpty();
        (await TunnelPortsAsync(sandbox)).Should().BeEmpty();
    }

    [OvsFact]
    public async Task ParallelAdds_OnOneNewRemoteMirror_LeaveOneMirrorAndOneTunnel()
    {
        const int callers = 16;
        const int rounds = 5;
        var (sandbox, plugin) = await StartAsync(callers);
        await using var _ = sandbox;
        var remotes = await RaceRemotes.AddAsync(sandbox, callers);
        plugin.Add("br1", "prod1", RemoteProducer(Gre(), "warm-up"), "warm").ShouldSucceed();
        plugin.Del("br1", "warm").ShouldSucceed();

        var failed = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            var name = "race" + round.ToString(CultureInfo.InvariantCulture);
            var runs = RaceCallers.RunTogether(sandbox,
                [.. Enumerable.Range(1, callers).Select(i => (Func<PluginRun>)(() =>
                    remotes.Add(plugin, i - 1, "br1", "prod" + i.ToString(CultureInfo.InvariantCulture), RemoteProducer(Gre(), name), $"{name}-{i}")))],
                pauseServer: true, remotes);
            var problems = runs.Where(r => r.ExitCode != 0).Select(r => r.Message).ToList();
            var mirrors = (await sandbox.MirrorsAsync()).Count(m => m.Name == name);
            var tunnels = (await TunnelPortsAsync(sandbox)).Length;
            if (mirrors != 1 || tunnels != 1)
            {
                problems.Add($"{mirrors} mirrors and {tunnels} tunnel ports");
            }
            else
            {
                var mirror = await sandbox.MirrorOnBridgeAsync("br1", name);
                if ((await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Count != callers)
                {
                    problems.Add("lost members");
                }
            }

            var dels = RaceCallers.RunTogether(sandbox,
                [.. Enumerable.Range(1, callers).Select(i => (Func<PluginRun>)(() => remotes.Del(plugin, i - 1, "br1", $"{name}-{i}")))],
                pauseServer: true, remotes);
            problems.AddRange(dels.Where(r => r.ExitCode != 0).Select(r => r.Message));
            if ((await sandbox.MirrorsAsync()).Count != 0 || (await TunnelPortsAsync(sandbox)).Length != 0)
            {
                problems.Add("left a mirror or a tunnel after every member left");
            }

            if (problems.Count > 0)
            {
                failed.Add($"round {round}: {string.Join("; ", problems)}");
            }
        }

        failed.Should().BeEmpty();
    }

    public static TheoryData<string, JsonObject, string> BadRemotes => new()
    {
        { "bad IP", Gre("172.31.1.300"), "mirrors[0].remote.remoteIp is not an IPv4 or IPv6 address" },
        { "host name", Gre("collector"), "mirrors[0].remote.remoteIp is not an IPv4 or IPv6 address" },
        { "multicast", Gre("239.1.1.1"), "mirrors[0].remote.remoteIp must be a unicast address" },
        { "GRE key too big", Gre(key: 4294967296), "mirrors[0].remote.key: 4294967296 is outside 0-4294967295" },
        { "ERSPAN session too big", new JsonObject { ["type"] = "erspan", ["remoteIp"] = "10.0.0.1", ["key"] = 1024, ["erspanVersion"] = 1 }, "mirrors[0].remote.key: 1024 is outside 0-1023" },
        { "unknown type", new JsonObject { ["type"] = "vxlan", ["remoteIp"] = "10.0.0.1" }, "mirrors[0].remote.type: \"vxlan\" is not one of gre, erspan" },
        { "ERSPAN without version", new JsonObject { ["type"] = "erspan", ["remoteIp"] = "10.0.0.1" }, "mirrors[0].remote.erspanVersion is required" },
        { "ERSPAN version 3", new JsonObject { ["type"] = "erspan", ["remoteIp"] = "10.0.0.1", ["erspanVersion"] = 3 }, "mirrors[0].remote.erspanVersion: 3 is outside 1-2" },
        { "v1 with hwid", new JsonObject { ["type"] = "erspan", ["remoteIp"] = "10.0.0.1", ["erspanVersion"] = 1, ["erspanHwid"] = 1 }, "erspanDir and erspanHwid are for erspanVersion 2" },
        { "v2 with index", new JsonObject { ["type"] = "erspan", ["remoteIp"] = "10.0.0.1", ["erspanVersion"] = 2, ["erspanIndex"] = 1 }, "mirrors[0].remote.erspanIndex is for erspanVersion 1" },
        { "index too big", new JsonObject { ["type"] = "erspan", ["remoteIp"] = "10.0.0.1", ["erspanVersion"] = 1, ["erspanIndex"] = 1 << 20 }, "mirrors[0].remote.erspanIndex: 1048576 is outside 0-1048575" },
        { "hwid too big", new JsonObject { ["type"] = "erspan", ["remoteIp"] = "10.0.0.1", ["erspanVersion"] = 2, ["erspanHwid"] = 64 }, "mirrors[0].remote.erspanHwid: 64 is outside 0-63" },
        { "dir 2", new JsonObject { ["type"] = "erspan", ["remoteIp"] = "10.0.0.1", ["erspanVersion"] = 2, ["erspanDir"] = 2 }, "mirrors[0].remote.erspanDir: 2 is outside 0-1" },
        { "GRE with ERSPAN field", new JsonObject { ["type"] = "gre", ["remoteIp"] = "10.0.0.1", ["erspanVersion"] = 1 }, "are only for type erspan" },
        { "unknown key", new JsonObject { ["type"] = "gre", ["remoteIp"] = "10.0.0.1", ["ttl"] = 3 }, "mirrors[0].remote.ttl is not a key of remote" },
    };

    [OvsTheory]
    [MemberData(nameof(BadRemotes))]
    public async Task BadRemote_IsCode7NamingTheKey_AndChangesNothing(string what, JsonObject remote, string message)
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        var before = await sandbox.DumpAsync();

        plugin.Add("br1", "prod1", RemoteProducer(remote), "p1").ShouldFail(7, message);

        (await sandbox.DumpAsync()).Should().Be(before, what);
    }

    [OvsFact]
    public async Task Remote_OnAnOutputEntry_OrFromPodArgs_IsRefused()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;

        plugin.Add("br1", "cons1", new JsonArray(new JsonObject { ["name"] = "m", ["output"] = "port", ["remote"] = Gre() }), "c1")
            .ShouldFail(7, "mirrors[0].remote is for a source entry");
        var podArgs = PluginHarness.WithCniArgs(
            PluginHarness.WithPrevResult(plugin.Config("br1", null, extra: new JsonObject { ["allowPodArgs"] = true }), "prod1"),
            new JsonObject { ["mirrors"] = RemoteProducer(Gre()) });
        plugin.Run("ADD", podArgs, "p1").ShouldFail(101, "asks for a remote output, which only the NAD may configure");
        (await sandbox.MirrorsAsync()).Should().BeEmpty();
    }
}
