using OvsMirror.Testing;

namespace OvsMirror.Tests.Rig;

public sealed class OvsSandboxFixtureTests(OvsSandboxFixture fixture) : IClassFixture<OvsSandboxFixture>
{
    private OvsSandbox Sandbox => fixture.Sandbox;

    [OvsFact]
    public void OvsTools_OnThisMachine_FindsEverything()
    {
        OvsTools.Missing.Should().BeEmpty();
        OvsTools.UnavailableReason().Should().BeNull();
    }

    [OvsFact]
    public async Task Start_ShortDirAndSockets_AreReady()
    {
        Sandbox.Directory.Should().StartWith("/tmp/om.");
        Sandbox.DbEndpoint.Should().Be("unix:" + Sandbox.DbSocketPath);
        Sandbox.VswitchdCtl.Length.Should().BeLessThan(108);
        File.Exists(Sandbox.DbSocketPath).Should().BeTrue();
        File.Exists(Sandbox.VswitchdCtl).Should().BeTrue();
        (await NetnsList.ReadAsync()).Should().Contain(Sandbox.VswitchdNetns);

        var show = await Sandbox.VsctlAsync("show");

        show.Should().NotBeNullOrWhiteSpace();
        (await Sandbox.VsctlAsync("get", "Open_vSwitch", ".", "external_ids:testenv")).Trim().Should().Be("\"1\"");
    }

    [OvsFact]
    public async Task AddBridgeAsync_NetdevBridge_ShowsInVsctlAndDatapath()
    {
        await Sandbox.AddBridgeAsync("brfix");

        (await Sandbox.VsctlAsync("show")).Should().Contain("Bridge brfix").And.Contain("datapath_type: netdev");
        (await Sandbox.VsctlAsync("get", "bridge", "brfix", "datapath_type")).Trim().Should().Be("netdev");
        (await Sandbox.AppctlAsync("dpif/show")).Should().Contain("netdev@ovs-netdev").And.Contain("brfix");
    }

    [OvsFact]
    public async Task AddPortOnlyAsync_InternalPort_IsOnTheBridge()
    {
        await Sandbox.AddBridgeAsync("brport");

        await Sandbox.AddPortOnlyAsync("brport", "p-only");

        (await Sandbox.VsctlAsync("list-ports", "brport")).Should().Contain("p-only");
        (await Sandbox.VsctlAsync("get", "interface", "p-only", "ofport")).Trim().Should().MatchRegex("^[1-9][0-9]*$");
    }

    [OvsFact]
    public async Task VsctlAsync_Failure_ThrowsWithStderr()
    {
        var act = () => Sandbox.VsctlAsync("get", "bridge", "no-such-bridge", "name");

        (await act.Should().ThrowAsync<ProcessFailedException>())
            .Which.StandardError.Should().Contain("no-such-bridge");
    }
}
