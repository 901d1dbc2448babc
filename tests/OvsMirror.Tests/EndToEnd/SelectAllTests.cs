using OvsMirror.Testing;
using Xunit.Abstractions;
using static OvsMirror.Tests.EndToEnd.MirrorTraffic;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>cni-conf-examples/select-all.yaml: one VLAN 100 producer turns on select_all for mirror-1.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class SelectAllTests(ITestOutputHelper output)
{
    [OvsFact]
    public async Task SelectAllProducer_ConsumerSeesEveryPodsTrafficOnEveryVlan_AndNothingOnceItLeft()
    {
        const string Z = "10.100.0.1", A100 = "10.100.0.2", B100 = "10.100.0.3", A300 = "10.30.0.2", B300 = "10.30.0.3";
        await using var bed = await CniTestbed.StartAsync(output);
        var cons = await bed.PodAsync("ovs-cons");
        var z = await bed.PodAsync("ovs-prod-all");
        var a100 = await bed.PodAsync("a100");
        var b100 = await bed.PodAsync("b100");
        var a300 = await bed.PodAsync("a300");
        var b300 = await bed.PodAsync("b300");
        var vlan100 = bed.PlainPortConflist("peer-vlan100", vlan: 100);
        var vlan300 = bed.PlainPortConflist("peer-vlan300", vlan: 300);
        await bed.AddAsync(a100, "eth1", vlan100, address: A100 + "/24");
        await bed.AddAsync(b100, "eth1", vlan100, address: B100 + "/24");
        await bed.AddAsync(a300, "eth1", vlan300, address: A300 + "/24");
        await bed.AddAsync(b300, "eth1", vlan300, address: B300 + "/24");
        var consumer = await bed.AddAsync(cons, "eth1", "select-all-ovs-cons-mir1.conflist");
        var producer = await bed.AddAsync(z, "eth1", "select-all-ovs-vlan100-prod-all.conflist", address: Z + "/24");

        await bed.MirrorShouldBeAsync("mirror-1", src: [], dst: [], output: consumer);
        (await bed.GetAsync("Mirror", "mirror-1", "select_all")).Should().Be("true");
        (await bed.CheckAsync(producer)).Succeeded.Should().BeTrue();

        var capture = await bed.CaptureAsync(cons, "eth1");
        await bed.PingAsync(a100, B100, 3);
        await bed.PingAsync(a300, B300, 3);
        await bed.PingAsync(z, A100, 2);
        await bed.TcpExchangeAsync(a300, b300, B300);
        var seen = await capture.ShouldSeeExactlyAsync(
            bed,
            new Dictionary<string, int>
            {
                [Echo(A100, B100, request: true)] = 3,
                [Echo(B100, A100, request: false)] = 3,
                [Echo(A300, B300, request: true)] = 3,
                [Echo(B300, A300, request: false)] = 3,
                [Echo(Z, A100, request: true)] = 2,
                [Echo(A100, Z, request: false)] = 2,
            },
            [$"{A300}>{B300}", $"{B300}>{A300}"],
            "select_all");
        seen.Should().OnlyContain(p => p.Vlan == (p.Source!.StartsWith("10.100.", StringComparison.Ordinal) ? 100 : 300), "copies keep their VLAN on the trunk consumer");

        await bed.DelAsync(producer);
        (await bed.GetAsync("Mirror", "mirror-1", "select_all")).Should().Be("false", "the only select_all producer left");
        var after = await bed.CaptureAsync(cons, "eth1");
        await bed.PingAsync(a100, B100, 5);
        await bed.PingAsync(a300, B300, 3);
        await after.ShouldSeeNothingAsync(bed, "select_all after producer DEL");

        await bed.DelAsync(consumer);
        await bed.NoMirrorShouldBeLeftAsync();
    }
}
