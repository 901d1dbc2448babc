using OvsMirror.Testing;
using Xunit.Abstractions;
using static OvsMirror.Tests.EndToEnd.MirrorTraffic;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// cni-conf-examples/select-vlan.yaml: mirror-1 = select_all + select_vlan [100, 200] (from a VLAN 100 producer's
/// "vlans"), mirror-2 = select_all + select_vlan of the producer port's own tag (200). Bystander pairs on VLANs
/// 100, 200 and 300.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class SelectVlanTests(ITestOutputHelper output)
{
    [OvsFact]
    public async Task VlanSelection_EachConsumerSeesExactlyTheTrafficOfItsVlans_AndNothingOnceTheProducersLeft()
    {
        const string PA = "10.100.0.1", A100 = "10.100.0.2", B100 = "10.100.0.3";
        const string PB = "10.200.0.1", A200 = "10.200.0.2", B200 = "10.200.0.3";
        const string A300 = "10.30.0.2", B300 = "10.30.0.3";
        await using var bed = await CniTestbed.StartAsync(output);
        var cons1 = await bed.PodAsync("ovs-cons-1");
        var cons2 = await bed.PodAsync("ovs-cons-2");
        var prodA = await bed.PodAsync("ovs-prod-vlans");
        var prodB = await bed.PodAsync("ovs-prod-own-vlan");
        var a100 = await bed.PodAsync("a100");
        var b100 = await bed.PodAsync("b100");
        var a200 = await bed.PodAsync("a200");
        var b200 = await bed.PodAsync("b200");
        var a300 = await bed.PodAsync("a300");
        var b300 = await bed.PodAsync("b300");
        foreach (var (pod, vlan, ip) in new[] { (a100, 100, A100), (b100, 100, B100), (a200, 200, A200), (b200, 200, B200), (a300, 300, A300), (b300, 300, B300) })
        {
            await bed.AddAsync(pod, "eth1", bed.PlainPortConflist($"peer-vlan{vlan}", vlan: vlan), address: ip + "/24");
        }

        var c1 = await bed.AddAsync(cons1, "eth1", "select-vlan-ovs-cons-mir1.conflist");
        var c2 = await bed.AddAsync(cons2, "eth1", "select-vlan-ovs-cons-mir2.conflist");
        var pa = await bed.AddAsync(prodA, "eth1", "select-vlan-ovs-vlan100-prod-vlans.conflist", address: PA + "/24");
        var pb = await bed.AddAsync(prodB, "eth1", "select-vlan-ovs-vlan200-prod-own-vlan.conflist", address: PB + "/24");

        await bed.MirrorShouldBeAsync("mirror-1", src: [], dst: [], output: c1);
        await bed.MirrorShouldBeAsync("mirror-2", src: [], dst: [], output: c2);
        (await bed.GetAsync("Mirror", "mirror-1", "select_all")).Should().Be("true");
        (await bed.GetAsync("Mirror", "mirror-1", "select_vlan")).Should().Be("[100, 200]");
        (await bed.GetAsync("Mirror", "mirror-2", "select_all")).Should().Be("true");
        (await bed.GetAsync("Mirror", "mirror-2", "select_vlan")).Should().Be("[200]");

        var cap1 = await bed.CaptureAsync(cons1, "eth1");
        var cap2 = await bed.CaptureAsync(cons2, "eth1");
        await bed.PingAsync(a300, B300, 3);   // VLAN 300: selected by neither
        await bed.PingAsync(a100, B100, 3);   // VLAN 100: mirror-1
        await bed.PingAsync(prodA, A100, 2);  // VLAN 100: mirror-1
        await bed.PingAsync(a200, B200, 3);   // VLAN 200: mirror-1 and mirror-2
        await bed.PingAsync(prodB, A200, 2);  // VLAN 200: mirror-1 and mirror-2
        await bed.TcpExchangeAsync(a200, b200, B200);

        var vlan200 = new Dictionary<string, int>
        {
            [Echo(A200, B200, request: true)] = 3,
            [Echo(B200, A200, request: false)] = 3,
            [Echo(PB, A200, request: true)] = 2,
            [Echo(A200, PB, request: false)] = 2,
        };
        var seen1 = await cap1.ShouldSeeExactlyAsync(
            bed,
            new Dictionary<string, int>(vlan200)
            {
                [Echo(A100, B100, request: true)] = 3,
                [Echo(B100, A100, request: false)] = 3,
                [Echo(PA, A100, request: true)] = 2,
                [Echo(A100, PA, request: false)] = 2,
            },
            [$"{A200}>{B200}", $"{B200}>{A200}"],
            "select_vlan mirror-1 (VLANs 100, 200)");
        var seen2 = await cap2.ShouldSeeExactlyAsync(
            bed, vlan200, [$"{A200}>{B200}", $"{B200}>{A200}"], "select_vlan mirror-2 (own VLAN 200)");
        seen1.Should().OnlyContain(p => p.Vlan == (p.Source!.StartsWith("10.100.", StringComparison.Ordinal) ? 100 : 200));
        seen2.Should().OnlyContain(p => p.Vlan == 200);

        await bed.DelAsync(pa);
        await bed.DelAsync(pb);
        (await bed.GetAsync("Mirror", "mirror-1", "select_all")).Should().Be("false");
        (await bed.GetAsync("Mirror", "mirror-1", "select_vlan")).Should().Be("[]");
        (await bed.GetAsync("Mirror", "mirror-2", "select_all")).Should().Be("false");
        (await bed.GetAsync("Mirror", "mirror-2", "select_vlan")).Should().Be("[]");
        var after1 = await bed.CaptureAsync(cons1, "eth1");
        var after2 = await bed.CaptureAsync(cons2, "eth1");
        await bed.PingAsync(a100, B100, 3);
        await bed.PingAsync(a200, B200, 3);
        await after1.ShouldSeeNothingAsync(bed, "select_vlan after producer DEL");
        await after2.ShouldSeeNothingAsync(bed, "select_vlan after producer DEL");

        await bed.DelAsync(c1);
        await bed.DelAsync(c2);
        await bed.NoMirrorShouldBeLeftAsync();
    }

    /// <summary>
    /// Two pods attach through the same VLAN-selecting network (mirror-1: select_all + select_vlan [100, 200]): the
    /// selection is shared, so the first one's DEL must leave it in place for the second; a select_all-only request
    /// on the same mirror would widen it and is refused (code 107, SelectionConflict).
    /// </summary>
    [OvsFact]
    public async Task SharedVlanSelection_StaysUntilTheLastProducerLeaves_AndAnUnfilteredSelectAllIsRefused()
    {
        const string A100 = "10.100.0.2", B100 = "10.100.0.3";
        await using var bed = await CniTestbed.StartAsync(output);
        var cons = await bed.PodAsync("ovs-cons-1");
        var p1 = await bed.PodAsync("ovs-prod-1");
        var p2 = await bed.PodAsync("ovs-prod-2");
        var p3 = await bed.PodAsync("ovs-prod-all");
        var a100 = await bed.PodAsync("a100");
        var b100 = await bed.PodAsync("b100");
        var vlan100 = bed.PlainPortConflist("peer-vlan100", vlan: 100);
        await bed.AddAsync(a100, "eth1", vlan100, address: A100 + "/24");
        await bed.AddAsync(b100, "eth1", vlan100, address: B100 + "/24");
        var c = await bed.AddAsync(cons, "eth1", "select-vlan-ovs-cons-mir1.conflist");
        var first = await bed.AddAsync(p1, "eth1", "select-vlan-ovs-vlan100-prod-vlans.conflist", address: "10.100.0.11/24");
        var second = await bed.AddAsync(p2, "eth1", "select-vlan-ovs-vlan100-prod-vlans.conflist", address: "10.100.0.12/24");

        var (refused, all) = await bed.TryAddAsync(p3, "eth1", "select-all-ovs-vlan100-prod-all.conflist", address: "10.100.0.13/24");
        all.Should().BeNull("select_all without the VLAN filter on a VLAN-filtered mirror is a conflict");
        System.Text.Json.Nodes.JsonNode.Parse(refused.StandardOutput)!["code"]!.GetValue<int>()
            .Should().Be(107, "PluginErrorCode.SelectionConflict: {0}", refused.StandardOutput);
        (await bed.CniDriverAsync("del", p3, "eth1", Path.Combine(bed.ConfDir, "select-all-ovs-vlan100-prod-all.conflist"), null, "10.100.0.13/24"))
            .Succeeded.Should().BeTrue("the runtime's DEL after the failed ADD");
        (await bed.GetAsync("Mirror", "mirror-1", "select_vlan")).Should().Be("[100, 200]", "the refused request changed nothing");

        await bed.DelAsync(first);
        (await bed.GetAsync("Mirror", "mirror-1", "select_all")).Should().Be("true", "the second producer still selects");
        (await bed.GetAsync("Mirror", "mirror-1", "select_vlan")).Should().Be("[100, 200]");
        var capture = await bed.CaptureAsync(cons, "eth1");
        await bed.PingAsync(a100, B100, 3);
        await capture.ShouldSeeExactlyAsync(
            bed,
            new Dictionary<string, int> { [Echo(A100, B100, request: true)] = 3, [Echo(B100, A100, request: false)] = 3 },
            [],
            "shared select_vlan after the first producer's DEL");

        await bed.DelAsync(second);
        (await bed.GetAsync("Mirror", "mirror-1", "select_all")).Should().Be("false");
        (await bed.GetAsync("Mirror", "mirror-1", "select_vlan")).Should().Be("[]");
        var after = await bed.CaptureAsync(cons, "eth1");
        await bed.PingAsync(a100, B100, 3);
        await after.ShouldSeeNothingAsync(bed, "shared select_vlan after the last producer's DEL");
        await bed.DelAsync(c);
        await bed.NoMirrorShouldBeLeftAsync();
    }
}
