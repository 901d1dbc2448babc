using System.Text.Json.Nodes;
using OvsMirror.Testing;
using Xunit.Abstractions;
using static OvsMirror.Tests.EndToEnd.MirrorTraffic;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// What a real node does to attachments besides a clean ADD and DEL, through the runtime (cnidriver) with the
/// examples of nad-tc2: a pod dies before its DEL, its OVS port is removed behind the plugin's back, the mirror is
/// changed by hand (CHECK), a second consumer wants a taken output, and GC with the runtime's valid attachments.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class LifecycleTests(ITestOutputHelper output)
{
    private const string ProdConflist = "nad-tc2-ovs-vlan100-prod-mir-1.conflist";
    private const string ConsConflist = "nad-tc2-ovs-cons-mir-1.conflist";
    private const string Prod1 = "10.100.0.1", Prod2 = "10.100.0.2", Peer = "10.100.0.9";

    [OvsFact]
    public async Task Del_AfterThePodsNetnsIsGone_Succeeds_AndLeavesNeitherMirrorNorPort()
    {
        await using var bed = await CniTestbed.StartAsync(output);
        var prod = await bed.PodAsync("ovs-prod-2");
        var cons = await bed.PodAsync("ovs-cons-1");
        var p = await bed.AddAsync(prod, "eth1", ProdConflist, address: Prod1 + "/24");
        var c = await bed.AddAsync(cons, "eth2", ConsConflist);

        // the pods die: their namespaces (and the veths in them) are gone before the runtime's DEL
        foreach (var pod in new[] { prod, cons })
        {
            await ProcessRunner.RunCheckedAsync(OvsTools.Require("ip"), ["netns", "delete", pod.Netns]);
        }

        (await bed.TryDelAsync(p)).Succeeded.Should().BeTrue("DEL must complete when the container is gone (CNI SPEC §DEL)");
        (await bed.TryDelAsync(c)).Succeeded.Should().BeTrue();
        await bed.NoMirrorShouldBeLeftAsync();
        (await bed.PortsAsync()).Should().BeEmpty();
    }

    [OvsFact]
    public async Task Del_WhenTheOvsPortWasRemovedBehindItsBack_Succeeds_AndRemovesTheMirror()
    {
        await using var bed = await CniTestbed.StartAsync(output);
        var prod = await bed.PodAsync("ovs-prod-2");
        var cons = await bed.PodAsync("ovs-cons-1");
        var p = await bed.AddAsync(prod, "eth1", ProdConflist, address: Prod1 + "/24");
        var c = await bed.AddAsync(cons, "eth2", ConsConflist);

        await bed.Sandbox.VsctlAsync("del-port", CniTestbed.Bridge, p.HostInterface);
        await bed.Sandbox.VsctlAsync("del-port", CniTestbed.Bridge, c.HostInterface);

        (await bed.TryDelAsync(p)).Succeeded.Should().BeTrue("a port already gone counts as success");
        (await bed.TryDelAsync(c)).Succeeded.Should().BeTrue();
        await bed.NoMirrorShouldBeLeftAsync();
    }

    [OvsFact]
    public async Task Check_AfterTheMirrorWasChangedByHand_FailsWithCheckMismatch_AndPassesOnceRestored()
    {
        await using var bed = await CniTestbed.StartAsync(output);
        var prod = await bed.PodAsync("ovs-prod-2");
        var cons = await bed.PodAsync("ovs-cons-1");
        var p = await bed.AddAsync(prod, "eth1", ProdConflist, address: Prod1 + "/24");
        await bed.AddAsync(cons, "eth2", ConsConflist);
        (await bed.CheckAsync(p)).Succeeded.Should().BeTrue();
        var port = await bed.PortUuidAsync(p);

        await bed.Sandbox.VsctlAsync("remove", "Mirror", "mirror-1", "select_src_port", port);
        var check = await bed.CheckAsync(p);
        await bed.Sandbox.VsctlAsync("add", "Mirror", "mirror-1", "select_src_port", port);
        var again = await bed.CheckAsync(p);

        check.ExitCode.Should().Be(1, "CHECK verifies the attachment; stdout: {0}", check.StandardOutput);
        JsonNode.Parse(check.StandardOutput)!["code"]!.GetValue<int>().Should().Be(105, "PluginErrorCode.CheckMismatch: {0}", check.StandardOutput);
        again.Succeeded.Should().BeTrue(again.StandardOutput + again.StandardError);
    }

    [OvsFact]
    public async Task SecondConsumerOfATakenMirror_IsRefusedWithCode100_AndTheFirstKeepsItsCopies()
    {
        await using var bed = await CniTestbed.StartAsync(output);
        var prod = await bed.PodAsync("ovs-prod-2");
        var peer = await bed.PodAsync("peer");
        var cons1 = await bed.PodAsync("ovs-cons-1");
        var cons2 = await bed.PodAsync("ovs-cons-2");
        await bed.AddAsync(peer, "eth1", bed.PlainPortConflist("peer-vlan100", vlan: 100), address: Peer + "/24");
        var p = await bed.AddAsync(prod, "eth1", ProdConflist, address: Prod1 + "/24");
        var c1 = await bed.AddAsync(cons1, "eth2", ConsConflist);
        var portsBefore = await bed.PortsAsync();

        var (refused, second) = await bed.TryAddAsync(cons2, "eth2", ConsConflist);
        var del = await bed.CniDriverAsync("del", cons2, "eth2", Path.Combine(bed.ConfDir, ConsConflist), null, null);

        second.Should().BeNull();
        JsonNode.Parse(refused.StandardOutput)!["code"]!.GetValue<int>().Should().Be(100, "PluginErrorCode.MirrorOutputTaken: {0}", refused.StandardOutput);
        del.Succeeded.Should().BeTrue("the runtime's DEL after the failed ADD: {0}", del.StandardOutput);
        (await bed.PortsAsync()).Should().BeEquivalentTo(portsBefore);
        await bed.MirrorShouldBeAsync("mirror-1", src: [p], dst: [], output: c1);
        var capture = await bed.CaptureAsync(cons1, "eth2");
        await bed.PingAsync(prod, Peer, 3);
        await capture.ShouldSeeExactlyAsync(bed, new Dictionary<string, int> { [Echo(Prod1, Peer, request: true)] = 3 }, [], "output taken");
    }

    /// <summary>libcni 1.1.2 has no GC: cnidriver calls each plugin with CNI_COMMAND=GC (CNI SPEC 1.1) as a 1.1 runtime would.</summary>
    [OvsFact]
    public async Task Gc_RemovesAttachmentsTheRuntimeNoLongerKnows_AndTheirTrafficIsNoLongerMirrored()
    {
        await using var bed = await CniTestbed.StartAsync(output);
        var prod1 = await bed.PodAsync("ovs-prod-1");
        var prod2 = await bed.PodAsync("ovs-prod-2");
        var peer = await bed.PodAsync("peer");
        var cons = await bed.PodAsync("ovs-cons-1");
        await bed.AddAsync(peer, "eth1", bed.PlainPortConflist("peer-vlan100", vlan: 100), address: Peer + "/24");
        await bed.AddAsync(prod1, "eth1", ProdConflist, address: Prod1 + "/24");
        var p2 = await bed.AddAsync(prod2, "eth1", ProdConflist, address: Prod2 + "/24");
        var c = await bed.AddAsync(cons, "eth2", ConsConflist);

        // the runtime lost ovs-prod-1 (no DEL ever came): GC of its network with only ovs-prod-2 valid
        var gc = await ProcessRunner.RunAsync(
            RepoPaths.CniDriver,
            ["gc", "--conflist", Path.Combine(bed.ConfDir, ProdConflist), "--cni-version", "1.1.0", "--cni-path", bed.BinDir,
                "--valid-attachment", $"{prod2.ContainerId}/eth1"],
            TimeSpan.FromSeconds(30),
            new Dictionary<string, string> { ["OVS_ATTACH_SWITCH_NETNS"] = bed.Sandbox.VswitchdNetns });

        gc.Succeeded.Should().BeTrue(gc.StandardOutput + gc.StandardError);
        await bed.MirrorShouldBeAsync("mirror-1", src: [p2], dst: [], output: c);
        var capture = await bed.CaptureAsync(cons, "eth2");
        await bed.PingAsync(prod1, Peer, 3);
        await bed.PingAsync(prod2, Peer, 2);
        await capture.ShouldSeeExactlyAsync(bed, new Dictionary<string, int> { [Echo(Prod2, Peer, request: true)] = 2 }, [], "after GC");
    }
}
