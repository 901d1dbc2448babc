using OvsMirror.Testing;

namespace OvsMirror.Tests.Rig;

public sealed class OvsSandboxTrafficTests
{
    [OvsFact]
    public async Task AddHostAsync_TwoHostsOnANetdevBridge_PingEachOther()
    {
        await using var sandbox = await OvsSandbox.StartAsync();
        await sandbox.AddBridgeAsync("br1");
        var a = await sandbox.AddHostAsync("ha", "br1", "10.99.0.1/24");
        var b = await sandbox.AddHostAsync("hb", "br1", "10.99.0.2/24");

        var ping = await Ping(sandbox, a, "10.99.0.2");
        var pingBack = await Ping(sandbox, b, "10.99.0.1");

        ping.Succeeded.Should().BeTrue(ping.StandardOutput + ping.StandardError);
        ping.StandardOutput.Should().Contain("3 received");
        pingBack.Succeeded.Should().BeTrue(pingBack.StandardOutput + pingBack.StandardError);
        (await sandbox.AppctlAsync("dpctl/dump-flows")).Should().Contain("in_port", "packets went through the netdev datapath");
    }

    [OvsFact]
    public async Task TwoSandboxes_SameBridgeHostNamesAndAddresses_DoNotInterfere()
    {
        var starts = await Task.WhenAll(OvsSandbox.StartAsync(), OvsSandbox.StartAsync());
        await using var first = starts[0];
        await using var second = starts[1];

        first.NetnsPrefix.Should().NotBe(second.NetnsPrefix);
        first.Directory.Should().NotBe(second.Directory);
        foreach (var s in starts)
        {
            await s.AddBridgeAsync("br1");
            await s.AddHostAsync("ha", "br1", "10.99.0.1/24");
            await s.AddHostAsync("hb", "br1", "10.99.0.2/24");
        }

        var pings = await Task.WhenAll(starts.Select(s => Ping(s, s.NetnsPrefix + "ha", "10.99.0.2")));

        pings.Should().OnlyContain(p => p.Succeeded);
        (await first.VsctlAsync("list-ports", "br1")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().BeEquivalentTo(["ha", "hb"]);
    }

    private static Task<ProcessResult> Ping(OvsSandbox sandbox, string netns, string address) =>
        sandbox.ExecInNetnsAsync(
            netns, [OvsTools.Find("ping") ?? "ping", "-c", "3", "-i", "0.2", "-W", "2", address], TimeSpan.FromSeconds(20));
}
