using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>ADD, CHECK and DEL against a real ovsdb-server; ovs-vsctl is the oracle.</summary>
public sealed class LifecycleTests
{
    private static readonly JsonArray ProducerSrcDst = [new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("src_port", "dst_port") }];
    private static readonly JsonArray ConsumerPort = [new JsonObject { ["name"] = "m1", ["output"] = "port" }];

    private static async Task<(OvsSandbox, PluginHarness)> StartAsync()
    {
        var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        await sandbox.AddPortsAsync("br1", "prod1", "prod2", "cons1", "cons2");
        return (sandbox, new PluginHarness(sandbox));
    }

    public static TheoryData<string> AllVersions => ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    [OvsTheory]
    [MemberData(nameof(AllVersions))]
    public async Task AddCheckDel_ForEveryCniVersion_PassesPrevResultThroughAndLeavesNothing(string version)
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        var config = PluginHarness.WithPrevResult(plugin.Config("br1", ProducerSrcDst, version), "prod1");

        var add = plugin.Run("ADD", config).ShouldSucceed();

        // CNI SPEC §ADD: a chained plugin passes prevResult through; nothing of it is lost.
        JsonNode.DeepEquals(add.Json, config["prevResult"]).Should().BeTrue($"ADD printed {add.Stdout}");
        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "m1");
        var port = await sandbox.PortUuidAsync("prod1");
        (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should().Equal(port);
        (await sandbox.MirrorUuidsAsync(mirror, "select_dst_port")).Should().Equal(port);
        if (version is not ("0.3.0" or "0.3.1"))
        {
            plugin.Run("CHECK", config).ShouldSucceed();
        }

        plugin.Run("DEL", config).ShouldSucceed();
        (await sandbox.MirrorsAsync()).Should().BeEmpty("the last member left an owned mirror");
    }

    [OvsFact]
    public async Task ProducerAndConsumer_ShareOneMirror_AndTheMirrorGoesWithTheLastMember()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;

        plugin.Add("br1", "prod1", ProducerSrcDst, "p1").ShouldSucceed();
        plugin.Add("br1", "prod2", ProducerSrcDst, "p2").ShouldSucceed();
        plugin.Add("br1", "cons1", ConsumerPort, "c1").ShouldSucceed();

        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "m1");
        (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should().BeEquivalentTo(
            [await sandbox.PortUuidAsync("prod1"), await sandbox.PortUuidAsync("prod2")]);
        (await sandbox.MirrorColumnAsync(mirror, "output_port")).Should().Be(await sandbox.PortUuidAsync("cons1"));

        plugin.Del("br1", "p1").ShouldSucceed();
        (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should().Equal(await sandbox.PortUuidAsync("prod2"));
        plugin.Del("br1", "c1").ShouldSucceed();
        (await sandbox.MirrorColumnAsync(mirror, "output_port")).Should().Be("[]");
        plugin.Del("br1", "p2").ShouldSucceed();
        (await sandbox.MirrorsAsync()).Should().BeEmpty();
    }

    [OvsFact]
    public async Task Del_WithoutPrevResult_Twice_AndAfterThePortIsGone_Succeeds()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        plugin.Add("br1", "prod1", ProducerSrcDst, "p1").ShouldSucceed();
        plugin.Add("br1", "prod2", ProducerSrcDst, "p2").ShouldSucceed();
        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "m1");

        await sandbox.VsctlAsync("del-port", "br1", "prod1");
        plugin.Del("br1", "p1").ShouldSucceed();
        plugin.Del("br1", "p1").ShouldSucceed();

        (await sandbox.MirrorColumnAsync(mirror, "external_ids")).Should().NotContain("ovs-mirror/a/p1/");
        (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should().Equal(await sandbox.PortUuidAsync("prod2"));
        plugin.Del("br1", "p2").ShouldSucceed();
        plugin.Del("br1", "never-added").ShouldSucceed();
        (await sandbox.MirrorsAsync()).Should().BeEmpty();
    }

    [OvsFact]
    public async Task Del_WhenTheBridgeIsGone_Succeeds()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        plugin.Add("br1", "prod1", ProducerSrcDst, "p1").ShouldSucceed();

        await sandbox.VsctlAsync("del-br", "br1");

        plugin.Del("br1", "p1").ShouldSucceed();
    }

    [OvsFact]
    public async Task SameMirrorName_OnTwoBridges_IsTwoMirrors()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        await sandbox.VsctlAsync("add-br", "br2");
        await sandbox.AddPortsAsync("br2", "other1");

        plugin.Add("br1", "prod1", ProducerSrcDst, "p1").ShouldSucceed();
        plugin.Add("br2", "other1", ProducerSrcDst, "p2").ShouldSucceed();

        var m1 = await sandbox.MirrorOnBridgeAsync("br1", "m1");
        var m2 = await sandbox.MirrorOnBridgeAsync("br2", "m1");
        m1.Should().NotBe(m2);
        (await sandbox.MirrorUuidsAsync(m1, "select_src_port")).Should().Equal(await sandbox.PortUuidAsync("prod1"));
        (await sandbox.MirrorUuidsAsync(m2, "select_src_port")).Should().Equal(await sandbox.PortUuidAsync("other1"));

        plugin.Del("br2", "p2").ShouldSucceed();
        (await sandbox.BridgeMirrorsAsync("br2")).Should().BeEmpty();
        (await sandbox.BridgeMirrorsAsync("br1")).Should().Equal(m1);
    }

    [OvsFact]
    public async Task PortOfAnotherBridge_IsRefused_AndOvsdbIsUnchanged()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        await sandbox.VsctlAsync("add-br", "br2");
        await sandbox.AddPortsAsync("br2", "other1");
        var before = await sandbox.DumpAsync();

        plugin.Add("br1", "other1", ProducerSrcDst).ShouldFail(PluginErrorCode.PortNotOnBridge, "not a port of bridge br1");

        (await sandbox.DumpAsync()).Should().Be(before);
    }

    [OvsFact]
    public async Task SecondConsumer_OfTheSameMirror_IsRefused_ButTheSameAttachmentAgainSucceeds()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        plugin.Add("br1", "cons1", ConsumerPort, "c1").ShouldSucceed();
        var before = await sandbox.DumpAsync();

        plugin.Add("br1", "cons2", ConsumerPort, "c2").ShouldFail(PluginErrorCode.MirrorOutputTaken, "already outputs to port");
        (await sandbox.DumpAsync()).Should().Be(before);

        plugin.Add("br1", "cons1", ConsumerPort, "c1").ShouldSucceed();
        (await sandbox.DumpAsync()).Should().Be(before, "repeating an ADD changes nothing");
    }

    [OvsFact]
    public async Task Check_ReportsWhatDiffers()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        var config = PluginHarness.WithPrevResult(plugin.Config("br1", ProducerSrcDst), "prod1");
        plugin.Run("ADD", config).ShouldSucceed();
        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "m1");

        await sandbox.VsctlAsync("clear", "Mirror", mirror, "select_dst_port");

        plugin.Run("CHECK", config).ShouldFail(PluginErrorCode.CheckMismatch, "select_dst_port lacks port prod1");
    }

    [OvsFact]
    public async Task MirrorMadeByOvsVsctl_GetsOurMembers_ButIsNeverDeleted()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        await sandbox.VsctlAsync("--", "--id=@m", "create", "Mirror", "name=m1", "--", "add", "Bridge", "br1", "mirrors", "@m");
        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "m1");

        plugin.Add("br1", "prod1", ProducerSrcDst, "p1").ShouldSucceed();
        (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should().Equal(await sandbox.PortUuidAsync("prod1"));
        plugin.Del("br1", "p1").ShouldSucceed();

        (await sandbox.MirrorOnBridgeAsync("br1", "m1")).Should().Be(mirror, "ovs-mirror does not own it");
        (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should().BeEmpty();
    }

    [OvsFact]
    public async Task ThirtyThirdMirror_OnABridge_IsRefused_AndOvsdbIsUnchanged()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        var args = new List<string>();
        for (var i = 0; i < 32; i++)
        {
            args.AddRange(["--", $"--id=@m{i}", "create", "Mirror", $"name=other{i}", "--", "add", "Bridge", "br1", "mirrors", $"@m{i}"]);
        }

        await sandbox.VsctlAsync(args, CancellationToken.None);
        var before = await sandbox.DumpAsync();

        plugin.Add("br1", "prod1", ProducerSrcDst).ShouldFail(PluginErrorCode.MirrorLimitReached, "at most 32");

        (await sandbox.DumpAsync()).Should().Be(before);
    }

    [OvsFact]
    public async Task VlanSelection_SelectsAllTrafficOfThePortsVlan_AndIsUndoneByDel()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        await sandbox.AddTaggedPortAsync("br1", "tagged", 100);
        var vlan = new JsonArray { new JsonObject { ["name"] = "mv", ["selection"] = new JsonArray("vlan") } };

        plugin.Add("br1", "tagged", vlan, "v1").ShouldSucceed();

        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "mv");
        (await sandbox.MirrorColumnAsync(mirror, "select_all")).Should().Be("true");
        (await sandbox.MirrorColumnAsync(mirror, "select_vlan")).Should().Be("[100]");

        // OVS narrows port selections by select_vlan, so a port producer on this mirror is refused.
        plugin.Add("br1", "prod1", new JsonArray { new JsonObject { ["name"] = "mv", ["selection"] = new JsonArray("src_port") } }, "p1")
            .ShouldFail(PluginErrorCode.SelectionConflict, "selects by VLAN");

        plugin.Del("br1", "v1").ShouldSucceed();
        (await sandbox.MirrorsAsync()).Should().BeEmpty();
    }

    [OvsFact]
    public async Task RspanConsumer_SetsOutputVlanAndFloodVlans_AndDelRemovesBoth()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        var rspan = new JsonArray { new JsonObject { ["name"] = "mr", ["output"] = "vlan", ["outputVlan"] = 999 } };

        plugin.Add("br1", "cons1", rspan, "c1").ShouldSucceed();

        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "mr");
        (await sandbox.MirrorColumnAsync(mirror, "output_vlan")).Should().Be("999");
        (await sandbox.VsctlAsync("get", "Bridge", "br1", "flood_vlans")).Trim().Should().Be("[999]");

        plugin.Del("br1", "c1").ShouldSucceed();
        (await sandbox.MirrorsAsync()).Should().BeEmpty();
        (await sandbox.VsctlAsync("get", "Bridge", "br1", "flood_vlans")).Trim().Should().Be("[]");
    }

    [OvsFact]
    public async Task SelectAllAndSnaplen_AreSetOnTheMirror()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        var all = new JsonArray { new JsonObject { ["name"] = "ma", ["selection"] = new JsonArray("all"), ["snaplen"] = 128 } };

        plugin.Add("br1", "prod1", all, "a1").ShouldSucceed();

        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "ma");
        (await sandbox.MirrorColumnAsync(mirror, "select_all")).Should().Be("true");
        (await sandbox.MirrorColumnAsync(mirror, "snaplen")).Should().Be("128");
    }

    [OvsFact]
    public async Task OvsCniProducerSchema_UnderItsProgramName_MapsIngressAndEgress()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        var config = plugin.Config("br1", new JsonArray { new JsonObject { ["name"] = "m1", ["ingress"] = true, ["egress"] = false } });
        config.Remove("flowRevalidation");
        config.Remove("vswitchdCtl");

        plugin.Run("ADD", PluginHarness.WithPrevResult(config, "prod1"), programName: "ovs-mirror-producer").ShouldSucceed();

        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "m1");
        (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should().Equal(await sandbox.PortUuidAsync("prod1"));
        (await sandbox.MirrorUuidsAsync(mirror, "select_dst_port")).Should().BeEmpty();
    }

    [OvsFact]
    public async Task Gc_RemovesOnlyThisNetworksAttachmentsMissingFromTheValidList()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        var other = new PluginHarness(sandbox, "net2");
        plugin.Add("br1", "prod1", ProducerSrcDst, "keep").ShouldSucceed();
        plugin.Add("br1", "prod2", ProducerSrcDst, "stale").ShouldSucceed();
        other.Add("br1", "cons1", ConsumerPort, "othernet").ShouldSucceed();
        var mirror = await sandbox.MirrorOnBridgeAsync("br1", "m1");

        var gc = plugin.Config("br1", null, "1.1.0");
        gc["cni.dev/valid-attachments"] = new JsonArray { new JsonObject { ["containerID"] = "keep", ["ifname"] = "eth1" } };
        plugin.Run("GC", gc).ShouldSucceed();

        var ids = await sandbox.MirrorColumnAsync(mirror, "external_ids");
        ids.Should().Contain("ovs-mirror/a/keep/eth1").And.Contain("ovs-mirror/a/othernet/eth1").And.NotContain("stale");
        (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should().Equal(await sandbox.PortUuidAsync("prod1"));
        (await sandbox.MirrorColumnAsync(mirror, "output_port")).Should().Be(await sandbox.PortUuidAsync("cons1"));
    }

    [OvsFact]
    public async Task Gc_RemovesAnOwnedMirrorLeftWithNoAttachment()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        await sandbox.VsctlAsync("--", "--id=@m", "create", "Mirror", "name=orphan", "external_ids:ovs-mirror/owner=ovs-mirror",
            "--", "add", "Bridge", "br1", "mirrors", "@m");
        await sandbox.VsctlAsync("--", "--id=@m", "create", "Mirror", "name=admins", "--", "add", "Bridge", "br1", "mirrors", "@m");
        var gc = plugin.Config("br1", null, "1.1.0");
        gc["cni.dev/valid-attachments"] = new JsonArray();

        plugin.Run("GC", gc).ShouldSucceed();

        (await sandbox.MirrorsAsync()).Select(m => m.Name).Should().Equal("admins");
    }

    [OvsFact]
    public async Task Status_IsReadyWithTheBridge_And50WithoutItOrWithoutOvsdb()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;

        plugin.Run("STATUS", plugin.Config("br1", null, "1.1.0")).ShouldSucceed();
        plugin.Run("STATUS", plugin.Config("nope", null, "1.1.0")).ShouldFail(50, "bridge nope does not exist");
        await sandbox.StopOvsdbServerAsync();
        plugin.Run("STATUS", plugin.Config("br1", null, "1.1.0")).ShouldFail(50, "cannot connect");
    }

    [OvsFact]
    public async Task UnreachableOvsdb_IsCode11_ForAddAndDel()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        await sandbox.StopOvsdbServerAsync();

        plugin.Add("br1", "prod1", ProducerSrcDst).ShouldFail(11, "cannot connect");
        plugin.Del("br1").ShouldFail(11, "cannot connect");
    }

    [OvsFact]
    public async Task StuckOvsdb_IsCode11_WithinTheTimeout()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        var config = PluginHarness.WithPrevResult(plugin.Config("br1", ProducerSrcDst, extra: new JsonObject { ["timeoutMs"] = 1000 }), "prod1");
        sandbox.Pause();
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            plugin.Run("ADD", config).ShouldFail(11, "did not complete within 1000 ms");
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "the deadline holds: no hang");
        }
        finally
        {
            sandbox.Resume();
        }
    }
}
