using System.Globalization;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Faults.Tests;

/// <summary>
/// ovs-vswitchd paused (SIGSTOP), killed, or its unixctl socket missing, while OVSDB is fine. The flow revalidation
/// after a change is best effort (README "Established flows"): ADD and DEL still succeed, with the change committed,
/// within timeoutMs (issue 9 §2.2: "the whole call ends within timeoutMs").
/// </summary>
[Trait("Category", "Fault")]
public sealed class VswitchdFaultTests(ITestOutputHelper output)
{
    private const int TimeoutMs = 2000;
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(1500);

    public static TheoryData<string> Faults => ["paused", "killed", "unixctl socket missing"];

    [OvsTheory]
    [MemberData(nameof(Faults))]
    public async Task AddAndDel_WithOvsVswitchdOutOfAction_SucceedWithTheChangeCommitted_WithinTimeoutMs(string fault)
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: true);
        await sandbox.AddBridgeAsync("br1");
        await sandbox.AddPortOnlyAsync("br1", "p0");
        await sandbox.AddPortOnlyAsync("br1", "p1");
        var plugin = new FaultPlugin(sandbox)
        {
            TimeoutMs = TimeoutMs,
            FlowRevalidation = "purge",
            VswitchdCtl = fault == "unixctl socket missing" ? Path.Combine(sandbox.Directory, "gone.ctl") : sandbox.VswitchdCtl,
        };
        var mirrors = FaultPlugin.Producer("m1", "src_port");
        plugin.Add("br1", "p0", mirrors, "c0").Succeeded.Should().BeTrue("with ovs-vswitchd healthy");
        switch (fault)
        {
            case "paused":
                sandbox.PauseVswitchd();
                break;
            case "killed":
                await sandbox.KillVswitchdAsync();
                break;
        }

        var figures = new FaultFigures($"ovs-vswitchd {fault}: ADD, CHECK, DEL", TimeoutMs) { Rounds = 1 };
        var problems = new List<string>();
        try
        {
            var add = plugin.Add("br1", "p1", mirrors, "c1");
            var check = plugin.Check("br1", "p1", mirrors, "c1");
            var afterAdd = await OvsdbState.ReadAsync(sandbox);
            var del = plugin.Del("br1", "c0");
            var afterDel = await OvsdbState.ReadAsync(sandbox);
            figures.CountAll([add, check, del]);
            foreach (var run in new[] { add, check, del })
            {
                if (!run.Succeeded)
                {
                    problems.Add($"{run}");
                }

                if (run.Elapsed > TimeSpan.FromMilliseconds(TimeoutMs) + Slack)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{run.Command} took {run.Elapsed.TotalMilliseconds:0} ms, budget {TimeoutMs} ms (stderr: {run.Stderr.Trim()})"));
                }
            }

            if (!afterAdd.HasRecord("br1", "m1", "c1"))
            {
                problems.Add("ADD's change is not in OVSDB");
            }

            if (afterDel.HasRecord("br1", "m1", "c0"))
            {
                problems.Add("DEL's change is not in OVSDB");
            }

            problems.AddRange(afterDel.Problems("br1", noOrphans: true));
            if (fault != "unixctl socket missing" && !add.Stderr.Contains("warning", StringComparison.Ordinal))
            {
                problems.Add($"ADD did not log on stderr that the flows were not revalidated: {add.Stderr}");
            }
        }
        finally
        {
            if (fault == "paused")
            {
                sandbox.ResumeVswitchd();
            }
        }

        if (problems.Count > 0)
        {
            figures.Violation();
        }

        figures.Report(output);
        problems.Should().BeEmpty();
    }
}
