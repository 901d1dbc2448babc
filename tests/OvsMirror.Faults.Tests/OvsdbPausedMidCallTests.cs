using System.Globalization;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Faults.Tests;

/// <summary>
/// ovsdb-server paused (SIGSTOP) DURING a call, after each of the call's steps in turn ("config", "connect", each
/// OVSDB call: the plugin's own step marks). A dry run first finds the step whose answer means "committed".
/// Contract: the call ends within timeoutMs; paused before the commit was sent, it fails with code 11 and OVSDB is
/// unchanged; paused after the commit was answered, it succeeds (success iff committed); paused with the commit in
/// flight, the outcome is unknowable to the caller (the server executes the queued request when it resumes), but it
/// is never torn and a retry converges. Then DEL and GC leave nothing behind.
/// </summary>
[Trait("Category", "Fault")]
[Collection(DeadlineJudgedTests.Name)]
public sealed class OvsdbPausedMidCallTests(ITestOutputHelper output)
{
    private const int TimeoutMs = 1500;
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    public static TheoryData<string> Calls => ["ADD creating the mirror", "ADD joining the mirror", "DEL of the last member", "DEL of one of two members"];

    [OvsTheory]
    [MemberData(nameof(Calls))]
    public async Task OvsdbPausedAfterEachStep_EndsWithinTimeoutMs_AndSucceedsIffCommitted_AndNeverTears(string call)
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        await sandbox.AddPortOnlyAsync("br1", "p0");
        await sandbox.AddPortOnlyAsync("br1", "p1");
        var plugin = new FaultPlugin(sandbox) { TimeoutMs = TimeoutMs };
        var mirrors = FaultPlugin.Producer("m1", "src_port", "dst_port");
        var isAdd = call.StartsWith("ADD", StringComparison.Ordinal);

        async Task SetUpAsync()
        {
            plugin.Del("br1", "c0").Succeeded.Should().BeTrue();
            plugin.Del("br1", "c1").Succeeded.Should().BeTrue();
            plugin.Gc("br1", []).Succeeded.Should().BeTrue();
            (await OvsdbState.ReadAsync(sandbox)).OnBridge("br1").Should().BeEmpty();
            if (call != "ADD creating the mirror")
            {
                plugin.Add("br1", "p0", mirrors, "c0").Succeeded.Should().BeTrue();
            }

            if (call == "DEL of one of two members")
            {
                plugin.Add("br1", "p1", mirrors, "c1").Succeeded.Should().BeTrue();
            }
        }

        FaultRun Act(Action<string>? onStep) => isAdd ? plugin.Add("br1", "p1", mirrors, "c1", onStep) : plugin.Del("br1", "c0", onStep);
        bool Done(OvsdbState s) => isAdd ? s.HasRecord("br1", "m1", "c1") : !s.HasRecord("br1", "m1", "c0");

        // Dry run: after which step is the change committed?
        await SetUpAsync();
        var steps = new List<(string Step, bool Committed)>();
        Act(step => steps.Add((step, Done(OvsdbState.ReadAsync(sandbox).GetAwaiter().GetResult())))).Succeeded.Should().BeTrue();
        var commitStep = steps.FindIndex(s => s.Committed);
        commitStep.Should().BeGreaterThan(0, $"the dry run's steps ({string.Join(", ", steps.Select(s => s.Step))}) include a commit");

        var figures = new FaultFigures($"ovsdb-server paused mid-call: {call}", TimeoutMs);
        var problems = new List<string>();
        for (var pauseAfter = 0; pauseAfter < steps.Count; pauseAfter++)
        {
            await SetUpAsync();
            var before = await OvsdbDump.ReadAsync(sandbox);
            var marks = 0;
            var paused = false;
            FaultRun run;
            try
            {
                run = Act(_ =>
                {
                    if (marks++ == pauseAfter)
                    {
                        sandbox.Pause();
                        paused = true;
                    }
                });
            }
            finally
            {
                if (paused)
                {
                    sandbox.Resume();
                }
            }

            figures.Rounds++;
            figures.Count(run);
            // Twice: the first read's answer comes after the server has run the request the caller left queued.
            await OvsdbState.ReadAsync(sandbox);
            var state = await OvsdbState.ReadAsync(sandbox);
            var where = $"paused after step {pauseAfter} ({steps[pauseAfter].Step}; commit answered at step {commitStep})";
            var round = new List<string>();
            round.AddRange(state.Problems("br1", noOrphans: false));
            if (run.Violation(11) is { } violation)
            {
                round.Add(violation);
            }

            if (run.Elapsed > TimeSpan.FromMilliseconds(TimeoutMs) + Slack)
            {
                round.Add(string.Create(CultureInfo.InvariantCulture, $"took {run.Elapsed.TotalMilliseconds:0} ms, budget {TimeoutMs} ms"));
            }

            if (run.Succeeded && !Done(state))
            {
                round.Add("succeeded, but the change is not in OVSDB");
            }

            if (pauseAfter >= commitStep && !run.Succeeded)
            {
                round.Add($"the change was committed (answered at step {commitStep}), yet the call failed: code {run.Code}: {run.Message}");
            }

            if (pauseAfter < commitStep - 1 && !run.Succeeded && await OvsdbDump.ReadAsync(sandbox) is var after && after != before)
            {
                round.Add("failed before sending its commit, yet OVSDB changed:\n" + OvsdbDump.Diff(before, after));
            }

            if (pauseAfter == commitStep - 1 && !run.Succeeded && Done(state))
            {
                figures.Note("committed after the caller gave up");
            }

            // Recovery: the same call again converges, and DEL then GC leave nothing.
            if (!Act(null).Succeeded)
            {
                round.Add("the retry failed");
            }

            plugin.Del("br1", "c0").Succeeded.Should().BeTrue();
            plugin.Del("br1", "c1").Succeeded.Should().BeTrue();
            plugin.Gc("br1", []).Succeeded.Should().BeTrue();
            var clean = await OvsdbState.ReadAsync(sandbox);
            round.AddRange(clean.Problems("br1", noOrphans: true));
            if (clean.OnBridge("br1").Count > 0)
            {
                round.Add($"after DEL and GC, br1 still has {clean.OnBridge("br1").Count} mirrors");
            }

            if (round.Count > 0)
            {
                figures.Violation();
                problems.Add($"{where}: {run}: {string.Join("; ", round)}");
            }
        }

        figures.Report(output);
        problems.Should().BeEmpty();
    }
}
