using System.Text.Json.Nodes;
using OvsMirror.Testing;
using Xunit.Abstractions;
using static OvsMirror.Tests.EndToEnd.MirrorTraffic;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// cni-conf-examples/cniargs-policy.yaml through the runtime: pods may only use ids-* mirrors in the role their NAD
/// allows. ovs-rogue asks for mirror-1: its ADD fails with code 101, the runtime's DEL after the failed ADD cleans
/// up, and it never sees nor changes anything, while the allowed pods mirror as asked.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class CniArgsPolicyTests(ITestOutputHelper output)
{
    [OvsFact]
    public async Task RogueRequest_IsRefusedWithCode101_LeavesNothing_WhileAllowedPodsMirror()
    {
        const string Prod = "10.100.0.1", Peer = "10.100.0.9", Rogue = "10.100.0.66";
        await using var bed = await CniTestbed.StartAsync(output);
        var cons = await bed.PodAsync("ovs-cons");
        var prod = await bed.PodAsync("ovs-prod-1");
        var rogue = await bed.PodAsync("ovs-rogue");
        var peer = await bed.PodAsync("peer");
        await bed.AddAsync(peer, "eth1", bed.PlainPortConflist("peer-vlan100", vlan: 100), address: Peer + "/24");
        var c = await bed.AddAsync(cons, "eth1", "cniargs-policy-ovs-cons-ids.conflist", "cniargs-policy-ovs-cons-ids.ovs-cons.eth1.cni-args.json");
        var p = await bed.AddAsync(
            prod, "eth1", "cniargs-policy-ovs-vlan100-ids.conflist", "cniargs-policy-ovs-vlan100-ids.ovs-prod-1.eth1.cni-args.json", Prod + "/24");
        var portsBefore = await bed.PortsAsync();

        var (refused, attachment) = await bed.TryAddAsync(
            rogue, "eth1", "cniargs-policy-ovs-vlan100-ids.conflist", "cniargs-policy-ovs-vlan100-ids.ovs-rogue.eth1.cni-args.json", Rogue + "/24");

        attachment.Should().BeNull();
        refused.ExitCode.Should().Be(1);
        var error = JsonNode.Parse(refused.StandardOutput)!.AsObject();
        error["code"]!.GetValue<int>().Should().Be(101, "PluginErrorCode.PodArgsNotAllowed: {0}", refused.StandardOutput);
        error["msg"]!.GetValue<string>().Should().Contain("mirror-1").And.Contain("allowedPodMirrors");
        // a runtime calls DEL after a failed ADD (CNI SPEC §ADD): it must succeed and remove the ovs port
        var del = await bed.CniDriverAsync(
            "del", rogue, "eth1", Path.Combine(bed.ConfDir, "cniargs-policy-ovs-vlan100-ids.conflist"),
            RepoPaths.Example("cniargs-policy-ovs-vlan100-ids.ovs-rogue.eth1.cni-args.json"), Rogue + "/24");
        del.Succeeded.Should().BeTrue(del.StandardOutput + del.StandardError);
        (await bed.PortsAsync()).Should().BeEquivalentTo(portsBefore, "the refused attachment leaves no port behind");
        (await bed.MirrorNamesAsync()).Should().BeEquivalentTo(["ids-1"], "the refused request created no mirror");
        await bed.MirrorShouldBeAsync("ids-1", src: [p], dst: [p], output: c);

        var capture = await bed.CaptureAsync(cons, "eth1");
        await bed.PingAsync(prod, Peer, 3);
        await capture.ShouldSeeExactlyAsync(
            bed,
            new Dictionary<string, int> { [Echo(Prod, Peer, request: true)] = 3, [Echo(Peer, Prod, request: false)] = 3 },
            [],
            "cni-args policy");

        await bed.DelAsync(p);
        await bed.DelAsync(c);
        await bed.NoMirrorShouldBeLeftAsync();
    }
}
