using System.Globalization;
using System.Text.Json.Nodes;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Faults.Tests;

/// <summary>
/// The plugin binary SIGKILLed at random points of ADD and DEL (the OOM killer, a node shutdown, kubelet's own timeout),
/// both with the server running and right after a paused server resumes (so the kill lands while the server is busy
/// with the call's requests). Contract: no torn attachment (a port in a select_* column without its record, or a record
/// without its port); every killed call's member fully present or fully absent on every one of its mirrors; DEL then
/// succeeds; GC leaves no orphan.
/// </summary>
[Trait("Category", "Fault")]
public sealed class PluginKillTests(ITestOutputHelper output)
{
    private const int Pods = 6;
    private const int TimeoutMs = 5000;

    [OvsTheory]
    [InlineData(false, 60)]
    [InlineData(true, 30)]
    public async Task PluginSigkilledAtRandomPoints_LeavesNoTornAttachment_AndDelThenGcLeaveNothing(bool afterPausedServerResumes, int rounds)
    {
        var random = new Random(afterPausedServerResumes ? 9_009 : 13_131); // seeded: a failing round can be replayed
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        var plugin = new FaultPlugin(sandbox) { TimeoutMs = TimeoutMs };
        JsonArray mirrors =
        [
            new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("src_port", "dst_port") },
            new JsonObject { ["name"] = "m2", ["selection"] = new JsonArray("dst_port") },
        ];
        for (var i = 0; i < Pods; i++)
        {
            await sandbox.AddPortOnlyAsync("br1", "p" + i.ToString(CultureInfo.InvariantCulture));
        }

        // How long an unkilled call takes here: the kills are spread over [0, 1.5 x that].
        var probe = BinaryPlugin.Run("ADD", plugin.Config("br1", mirrors, "p0"), "probe");
        probe.Succeeded.Should().BeTrue(probe.ToString());
        BinaryPlugin.Run("DEL", plugin.Config("br1", null), "probe").Succeeded.Should().BeTrue();
        var span = probe.Elapsed.TotalMicroseconds * 1.5;

        var figures = new FaultFigures(
            $"plugin binary SIGKILLed at random points{(afterPausedServerResumes ? ", right after a paused ovsdb-server resumes" : "")}", TimeoutMs);
        var problems = new List<string>();
        var attached = new bool[Pods];
        for (var round = 0; round < rounds; round++)
        {
            var pod = random.Next(Pods);
            var port = "p" + pod.ToString(CultureInfo.InvariantCulture);
            var id = "kill" + pod.ToString(CultureInfo.InvariantCulture);
            var isAdd = !attached[pod] || random.Next(3) == 0;
            var killAfter = TimeSpan.FromMicroseconds(afterPausedServerResumes ? random.Next(0, 3000) : random.Next(0, (int)span));
            var config = isAdd ? plugin.Config("br1", mirrors, port) : plugin.Config("br1", null);
            FaultRun run;
            if (afterPausedServerResumes)
            {
                sandbox.Pause();
                try
                {
                    // The process starts, connects and sends to the paused server; it is killed soon after the resume.
                    run = BinaryPlugin.Run(isAdd ? "ADD" : "DEL", config, id, killAfter,
                        started: () =>
                        {
                            Thread.Sleep(15); // lets the process reach the server before it resumes; the kill point is what varies
                            sandbox.Resume();
                        });
                }
                finally
                {
                    sandbox.Resume();
                }
            }
            else
            {
                run = BinaryPlugin.Run(isAdd ? "ADD" : "DEL", config, id, killAfter);
            }

            figures.Rounds++;
            figures.Count(run);
            var state = await OvsdbState.ReadAsync(sandbox);
            var round_ = new List<string>(state.Problems("br1", noOrphans: false));
            if (run.Violation(11) is { } violation)
            {
                round_.Add(violation);
            }

            var records = new[] { "m1", "m2" }.Select(m => state.HasRecord("br1", m, id)).ToArray();
            if (records[0] != records[1])
            {
                round_.Add($"half attached: m1 {records[0]}, m2 {records[1]}");
            }

            if (run.Succeeded && records[0] != isAdd)
            {
                round_.Add("succeeded but not in OVSDB");
            }

            if (run.Killed)
            {
                figures.Note(records[0] == isAdd ? "killed after its commit" : "killed before its commit");
            }

            attached[pod] = records[0];
            if (run.Killed && !isAdd)
            {
                // DEL then succeeds.
                var del = plugin.Del("br1", id);
                figures.Count(del);
                if (!del.Succeeded)
                {
                    round_.Add($"DEL after the kill: {del}");
                }

                attached[pod] = false;
            }

            if (round_.Count > 0)
            {
                figures.Violation();
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"round {round} ({run}, kill at {killAfter.TotalMilliseconds:0.0} ms): {string.Join("; ", round_)}"));
            }
        }

        for (var pod = 0; pod < Pods; pod++)
        {
            var del = plugin.Del("br1", "kill" + pod.ToString(CultureInfo.InvariantCulture));
            figures.Count(del);
            del.Succeeded.Should().BeTrue(del.ToString());
        }

        var gc = plugin.Gc("br1", []);
        figures.Count(gc);
        gc.Succeeded.Should().BeTrue(gc.ToString());
        var end = await OvsdbState.ReadAsync(sandbox);
        problems.AddRange(end.Problems("br1", noOrphans: true));
        if (end.Mirrors.Count > 0)
        {
            problems.Add($"after DEL of every pod and GC, {end.Mirrors.Count} Mirror rows are left");
        }

        figures.Report(output);
        problems.Should().BeEmpty();
        figures.Kills.Should().BePositive("some calls should have been killed before they ended");
    }
}
