using OvsMirror.Testing;

namespace OvsMirror.Tests.Rig;

public sealed class OvsSandboxLifecycleTests
{
    [OvsFact]
    public async Task DisposeAsync_AfterHostsAndBridges_LeavesNoProcessNetnsOrDirectory()
    {
        var sandbox = await OvsSandbox.StartAsync();
        await sandbox.AddBridgeAsync("br1");
        var host = await sandbox.AddHostAsync("h", "br1", "10.99.0.1/24"); // a bare "h" is ip(8) "help"
        int[] pids = [sandbox.OvsdbServerPid, sandbox.VswitchdPid!.Value];
        var dir = sandbox.Directory;
        var prefix = sandbox.NetnsPrefix;
        (await NetnsList.ReadAsync()).Should().Contain([host, sandbox.VswitchdNetns]);
        pids.Should().OnlyContain(pid => RunsInDir(pid, dir));

        await sandbox.DisposeAsync();

        pids.Should().NotContain(pid => RunsInDir(pid, dir), "the daemons are killed and reaped");
        (await NetnsList.ReadAsync()).Should().NotContain(n => n.StartsWith(prefix, StringComparison.Ordinal));
        Directory.Exists(dir).Should().BeFalse();
        await sandbox.DisposeAsync(); // idempotent
    }

    [OvsFact]
    public async Task Pause_OvsdbServerStopped_VsctlTimesOut_ThenResumeRecovers()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);

        sandbox.Pause();
        var paused = await sandbox.TryVsctlAsync(["--timeout=1", "show"]);
        sandbox.Resume();
        var resumed = await sandbox.TryVsctlAsync(["--timeout=5", "show"]);

        paused.Succeeded.Should().BeFalse("ovsdb-server is SIGSTOPped; stderr: {0}", paused.StandardError);
        paused.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "--timeout=1 holds: no hang");
        resumed.Succeeded.Should().BeTrue(resumed.StandardError);
    }

    [OvsFact]
    public async Task DisposeAsync_WhilePaused_StillStopsOvsdbServer()
    {
        var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        var pid = sandbox.OvsdbServerPid;
        var dir = sandbox.Directory;
        sandbox.Pause();

        await sandbox.DisposeAsync();

        RunsInDir(pid, dir).Should().BeFalse();
        Directory.Exists(dir).Should().BeFalse();
    }

    [OvsFact]
    public async Task RestartOvsdbServerAsync_AfterStop_KeepsTheDatabase()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.AddBridgeAsync("br-keep");
        var oldPid = sandbox.OvsdbServerPid;

        await sandbox.StopOvsdbServerAsync();
        var whileStopped = await sandbox.TryVsctlAsync(["--timeout=1", "show"]);
        await sandbox.RestartOvsdbServerAsync();

        whileStopped.Succeeded.Should().BeFalse();
        sandbox.OvsdbServerPid.Should().NotBe(oldPid);
        (await sandbox.VsctlAsync("list-br")).Should().Contain("br-keep");
    }

    [OvsFact]
    public async Task StartAsync_WithoutVswitchd_VsctlWritesRowsWithoutBlocking()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);

        await sandbox.AddBridgeAsync("br-rows");
        await sandbox.AddPortOnlyAsync("br-rows", "p1");

        sandbox.VswitchdPid.Should().BeNull();
        sandbox.Netns.Should().BeEmpty();
        (await sandbox.VsctlAsync("list-ports", "br-rows")).Trim().Should().Be("p1");
    }

    [OvsFact(RequiresNorthbound = true)]
    public async Task StartAsync_WithNorthbound_NbctlWorks()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false, withNorthbound: true);

        await sandbox.NbctlAsync("ls-add", "sw0");
        await sandbox.NbctlAsync("lsp-add", "sw0", "pod1.default");

        sandbox.NbEndpoint.Should().Be("unix:" + Path.Combine(sandbox.Directory, "nb.sock"));
        (await sandbox.NbctlAsync("lsp-list", "sw0")).Should().Contain("pod1.default");
    }

    [OvsFact]
    public async Task AddHostAsync_NameLongerThanIfnamsiz_IsRejected()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);

        var act = () => sandbox.AddHostAsync("a-very-long-hostname", "br1", "10.0.0.1/24");

        await act.Should().ThrowAsync<ArgumentException>();
    }

    /// <summary>The PID is alive and its command line names the sandbox dir (so a recycled PID does not count).</summary>
    private static bool RunsInDir(int pid, string dir)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return state != "Z" && cmdline.Contains(dir + "/", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
