using System.Globalization;
using System.Text.Json.Nodes;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Faults.Tests;

/// <summary>
/// ovsdb-server killed with SIGKILL and restarted on the same database file in the middle of a 24-way ADD/DEL storm on
/// shared mirror names. Contract: every call is success or code 11 (never 999, never a hang); a success is in the
/// database after the restart (it was committed, so it is durable); a failed call's attachment is fully present or
/// fully absent (never torn); every pod can then be DELeted and GC leaves no orphan.
/// </summary>
[Trait("Category", "Fault")]
public sealed class OvsdbCrashStormTests(ITestOutputHelper output)
{
    private const int Callers = 24;
    private const int Rounds = 6;
    private const int TimeoutMs = 3000;
    private static readonly string[] MirrorNames = ["m1", "m2", "m3"];

    [OvsFact]
    public async Task OvsdbServerKilledAndRestartedMidStorm_EverySuccessIsDurable_AndNothingIsTorn()
    {
        var random = new Random(13_013); // seeded: a failing round can be replayed
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        var pods = new List<(string Port, string Id, JsonArray Mirrors)>();
        for (var i = 0; i < Callers; i++)
        {
            var port = "p" + i.ToString("00", CultureInfo.InvariantCulture);
            await sandbox.AddPortOnlyAsync("br1", port);
            var names = MirrorNames.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).ToArray();
            JsonArray entries = [.. names.Select(n => (JsonNode)new JsonObject
            {
                ["name"] = n,
                ["selection"] = new JsonArray([.. new[] { "src_port", "dst_port" }.Take(random.Next(1, 3)).Select(s => (JsonNode)s)]),
            })];
            pods.Add((port, "k" + port, entries));
        }

        var plugin = new FaultPlugin(sandbox) { TimeoutMs = TimeoutMs };
        plugin.Add("br1", pods[0].Port, pods[0].Mirrors, "warm-up").Succeeded.Should().BeTrue();
        plugin.Del("br1", "warm-up").Succeeded.Should().BeTrue();
        var attached = new bool[Callers];
        var figures = new FaultFigures("ovsdb-server SIGKILLed + restarted mid 24-way ADD/DEL storm", TimeoutMs);
        var problems = new List<string>();

        for (var round = 0; round < Rounds; round++)
        {
            var isAdd = attached.Select(a => !a || random.NextDouble() < 0.2).ToArray();
            var killAfter = TimeSpan.FromMicroseconds(random.Next(0, 20_000));
            var runs = Together.Run(
                [.. pods.Select((pod, i) => (Func<FaultRun>)(() => isAdd[i]
                    ? plugin.Add("br1", pod.Port, pod.Mirrors, pod.Id)
                    : plugin.Del("br1", pod.Id)))],
                () =>
                {
                    SpinFor(killAfter);
                    sandbox.KillOvsdbServerAsync().GetAwaiter().GetResult();
                    sandbox.RestartOvsdbServerAsync().GetAwaiter().GetResult();
                });
            figures.Rounds++;
            figures.Note("server kills");
            figures.CountAll(runs);
            var state = await OvsdbState.ReadAsync(sandbox);
            var round_ = new List<string>(state.Problems("br1", noOrphans: false));
            for (var i = 0; i < Callers; i++)
            {
                var run = runs[i];
                if (run.Violation(11) is { } violation)
                {
                    round_.Add(violation);
                }

                var records = pods[i].Mirrors.Select(m => state.HasRecord("br1", m!["name"]!.GetValue<string>(), pods[i].Id)).ToArray();
                if (records.Distinct().Count() > 1)
                {
                    round_.Add($"{run.Command}: on some of its mirrors only ({string.Join(",", records)})");
                }

                var present = records.All(r => r);
                if (run.Succeeded && present != isAdd[i])
                {
                    round_.Add($"{run.Command} succeeded, but after the restart the attachment is {(present ? "present" : "absent")}");
                }

                attached[i] = present;
            }

            if (round_.Count > 0)
            {
                figures.Violation();
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"round {round} (kill after {killAfter.TotalMilliseconds:0.0} ms): {string.Join("; ", round_)}"));
            }
        }

        // Every pod can leave (DEL is idempotent: also those never attached), and GC leaves no orphan.
        foreach (var pod in pods)
        {
            var del = plugin.Del("br1", pod.Id);
            figures.Count(del);
            if (!del.Succeeded)
            {
                problems.Add($"final {del}");
            }
        }

        var gc = plugin.Gc("br1", []);
        figures.Count(gc);
        gc.Succeeded.Should().BeTrue(gc.ToString());
        var end = await OvsdbState.ReadAsync(sandbox);
        problems.AddRange(end.Problems("br1", noOrphans: true));
        end.OnBridge("br1").Should().BeEmpty("every pod was deleted");
        figures.Report(output);
        problems.Should().BeEmpty();
        figures.Calls.Should().BeGreaterThan(Callers * Rounds);
    }

    private static void SpinFor(TimeSpan delay)
    {
        var until = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(20);
        }
    }
}
