using System.Diagnostics;
using System.Text.Json.Nodes;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// Regression (issue 9 §2.2): with ovs-vswitchd stalled (SIGSTOP), every ADD took about 4 s (a 2 s wait for cur_cfg,
/// then a purge with its own 2 s timeout), and with a short timeoutMs a committed ADD was reported as code 11.
/// Flow revalidation is best effort once the change has committed: it gets one bounded budget, and the call reports
/// success within timeoutMs. Real ovsdb-server and ovs-vswitchd; ovs-vsctl --no-wait is the oracle.
/// </summary>
public sealed class StalledVswitchdTests
{
    private static readonly JsonArray Producer = [new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("src_port") }];

    private static async Task<(OvsSandbox, PluginHarness)> StartStalledAsync()
    {
        var sandbox = await OvsSandbox.StartAsync(withVswitchd: true);
        await sandbox.AddBridgeAsync("br1");
        await sandbox.AddPortsAsync("br1", "prod1");
        sandbox.PauseVswitchd();
        return (sandbox, new PluginHarness(sandbox));
    }

    private static async Task<string> SourcePortsAsync(OvsSandbox sandbox) =>
        (await sandbox.VsctlAsync("--no-wait", "--bare", "--columns=select_src_port", "find", "Mirror", "name=m1")).Trim();

    [OvsFact]
    public async Task Add_WithDefaultSettings_CommitsAndSucceedsWellUnderASecond_AndSoDoesDel()
    {
        var (sandbox, plugin) = await StartStalledAsync();
        await using var _ = sandbox;
        var port = (await sandbox.VsctlAsync("--no-wait", "get", "Port", "prod1", "_uuid")).Trim();

        var add = Timed(() => plugin.Add("br1", "prod1", Producer));

        add.Run.ShouldSucceed();
        (await SourcePortsAsync(sandbox)).Should().Be(port, "the change committed");
        add.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1),
            "revalidation gets {0} ms by default, not 2 s + 2 s", PluginConfig.DefaultFlowRevalidationTimeout.TotalMilliseconds);
        add.Run.Stderr.Should().Contain("warning", "the skipped revalidation is logged");

        var del = Timed(() => plugin.Del("br1"));

        del.Run.ShouldSucceed();
        (await sandbox.VsctlAsync("--no-wait", "--bare", "--columns=name", "list", "Mirror")).Trim().Should().BeEmpty();
        del.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
        sandbox.ResumeVswitchd();
    }

    [OvsTheory]
    [InlineData(500)]
    [InlineData(2200)]
    public async Task Add_WithALongerRevalidationBudgetThanTimeoutMs_EndsWithinTimeoutMs_AndReportsTheCommit(int timeoutMs)
    {
        var (sandbox, plugin) = await StartStalledAsync();
        await using var _ = sandbox;
        var config = PluginHarness.WithPrevResult(plugin.Config("br1", Producer, extra: new JsonObject
        {
            ["timeoutMs"] = timeoutMs,
            ["flowRevalidationTimeoutMs"] = 60_000,
        }), "prod1");

        var add = Timed(() => plugin.Run("ADD", config));

        add.Run.ShouldSucceed();
        (await SourcePortsAsync(sandbox)).Should().NotBeEmpty("success if and only if committed");
        // The deadline is enforced by poll(2) timeouts; the slack covers scheduling on a loaded machine only
        // (the defect took 4 s whatever timeoutMs said).
        add.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(timeoutMs + 1000));
        add.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(timeoutMs / 2), "it did use the budget it was given");
        sandbox.ResumeVswitchd();
    }

    [OvsFact]
    public async Task Add_WhenVswitchdResumes_PurgesAsUsual()
    {
        var (sandbox, plugin) = await StartStalledAsync();
        await using var _ = sandbox;
        sandbox.ResumeVswitchd();

        var add = plugin.Add("br1", "prod1", Producer);

        add.ShouldSucceed();
        add.Stderr.Should().NotContain("warning", "a healthy ovs-vswitchd applies and purges within the budget");
    }

    private static (PluginRun Run, TimeSpan Elapsed) Timed(Func<PluginRun> call)
    {
        var start = Stopwatch.GetTimestamp();
        var run = call();
        return (run, Stopwatch.GetElapsedTime(start));
    }
}
