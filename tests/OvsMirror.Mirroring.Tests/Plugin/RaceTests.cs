using System.Globalization;
using System.Text.Json.Nodes;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// DESIGN §6 "Correctness" under concurrency, against a real ovsdb-server: zero duplicate mirrors, zero lost members,
/// zero orphans. Callers run in-process on dedicated threads released by one barrier (<see cref="RaceCallers"/>),
/// each through its own listening socket of the one server (<see cref="RaceRemotes"/>), and in the rounds that say
/// so the server is paused while they start, so their first reads are answered from one state and their writes meet.
/// Every test counts the rounds that fail rather than stopping at the first, and checks with ovs-vsctl
/// (<see cref="RaceOvsdbState"/>) and with the server's own log of failed guards (<see cref="RaceServerLog"/>)
/// that the race it wanted really happened.
/// </summary>
public sealed class RaceTests(ITestOutputHelper output)
{
    private const int Callers = 32;
    private const int Rounds = 10;

    private static JsonArray Producer(string mirror, params string[] selection) =>
        [new JsonObject { ["name"] = mirror, ["selection"] = new JsonArray([.. selection.Select(s => (JsonNode)s)]) }];

    private static async Task<string[]> AddPortsAsync(OvsSandbox sandbox, string bridge, string prefix, int count)
    {
        var ports = Enumerable.Range(0, count).Select(i => prefix + i.ToString("00", CultureInfo.InvariantCulture)).ToArray();
        await sandbox.AddPortsAsync(bridge, ports);
        return ports;
    }

    /// <summary>One ADD and DEL first, so JIT compilation does not stagger the callers of the first round.</summary>
    private static async Task WarmUpAsync(OvsSandbox sandbox, PluginHarness plugin, string bridge, string port)
    {
        plugin.Add(bridge, port, Producer("warm-up", "src_port"), "warm-up").ShouldSucceed();
        plugin.Del(bridge, "warm-up").ShouldSucceed();
        (await sandbox.MirrorsAsync()).Should().BeEmpty();
    }

    private static IEnumerable<string> Failures(IReadOnlyList<PluginRun> runs, string what) =>
        runs.Select((run, i) => (run, i)).Where(r => r.run.ExitCode != 0)
            .Select(r => $"{what} {r.i} failed with code {r.run.Code}: {r.run.Message}");

    /// <summary>One round of N ADDs of N ports to one mirror that does not exist yet.</summary>
    private static PluginRun[] AddAllTogether(OvsSandbox sandbox, PluginHarness plugin, RaceRemotes remotes, string[] ports, string mirror,
        string prefix, bool pauseServer)
    {
        var mirrors = Producer(mirror, "src_port");
        return RaceCallers.RunTogether(
            sandbox,
            [.. ports.Select((port, i) => (Func<PluginRun>)(() =>
                remotes.Add(plugin, i, "br1", port, mirrors, prefix + i.ToString(CultureInfo.InvariantCulture))))],
            pauseServer, remotes);
    }

    /// <summary>What is wrong with the one mirror <paramref name="name"/> on br1 that should hold every port as a source.</summary>
    private static List<string> ProblemsOfFullMirror(RaceOvsdbState state, string name, string[] ports, string prefix)
    {
        var problems = new List<string>();
        var rows = state.OnBridge("br1", name);
        var named = state.Mirrors.Values.Count(m => m.Name == name);
        if (rows.Count != 1 || named != 1)
        {
            problems.Add($"{rows.Count} mirrors named {name} on br1 and {named} in the Mirror table (duplicates)");
            return problems;
        }

        var row = rows[0];
        var wantPorts = ports.Select(p => state.PortUuids[p]).ToHashSet();
        var wantKeys = ports.Select((_, i) => RaceMirrorRow.RecordKey(prefix + i.ToString(CultureInfo.InvariantCulture))).ToHashSet();
        if (!row.SrcPorts.SetEquals(wantPorts))
        {
            problems.Add($"select_src_port has {row.SrcPorts.Count} ports, {wantPorts.Except(row.SrcPorts).Count()} missing (lost members)");
        }

        if (!row.RecordKeys.SetEquals(wantKeys))
        {
            problems.Add($"external_ids has {row.RecordKeys.Count} attachment records, missing: " +
                string.Join(", ", wantKeys.Except(row.RecordKeys)));
        }

        if (!row.Owned || row.DstPorts.Count != 0 || row.OutputPort is not null)
        {
            problems.Add($"mirror {name}: owned {row.Owned}, {row.DstPorts.Count} dst ports, output {row.OutputPort}");
        }

        return problems;
    }

    [OvsFact]
    public async Task ParallelAdds_OfThirtyTwoPorts_ToOneNewMirrorName_MakeExactlyOneMirrorHoldingAllOfThem()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        var ports = await AddPortsAsync(sandbox, "br1", "p", Callers);
        var plugin = new PluginHarness(sandbox);
        await WarmUpAsync(sandbox, plugin, "br1", ports[0]);
        var remotes = await RaceRemotes.AddAsync(sandbox, Callers);
        var log = await RaceServerLog.EnableAsync(sandbox);
        var failedRounds = new List<string>();
        var collisions = new List<int>();

        for (var round = 0; round < Rounds; round++)
        {
            var name = $"new{round}";
            var prefix = $"r{round}-c";
            var mark = log.Mark();

            var runs = AddAllTogether(sandbox, plugin, remotes, ports, name, prefix, pauseServer: true);

            // Sessions whose create-if-absent (or later join) was refused by a guard: the callers that lost a race.
            collisions.Add(log.FailedGuardsSince(mark).Distinct().Count());
            var problems = Failures(runs, "ADD").ToList();
            problems.AddRange(ProblemsOfFullMirror(await RaceOvsdbState.ReadAsync(sandbox), name, ports, prefix));
            if (problems.Count > 0)
            {
                failedRounds.Add($"round {round}: {string.Join("; ", problems)}");
            }
        }

        output.WriteLine($"{Rounds} rounds of {Callers} parallel ADDs; failed rounds: {failedRounds.Count}; " +
            $"callers refused by a guard per round: {string.Join(", ", collisions)}");
        failedRounds.Should().BeEmpty();
        // The race was real: in some round most callers planned "create" from the same empty state and lost.
        collisions.Max().Should().BeGreaterThanOrEqualTo(Callers / 2,
            "with the server paused while the callers start, most of them should read the mirror as absent and collide");
    }

    [OvsFact]
    public async Task ParallelDels_OfEveryMember_LeaveNoMirrorRowAndAnEmptyBridge()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        var ports = await AddPortsAsync(sandbox, "br1", "p", Callers);
        var plugin = new PluginHarness(sandbox);
        await WarmUpAsync(sandbox, plugin, "br1", ports[0]);
        var remotes = await RaceRemotes.AddAsync(sandbox, Callers);
        var failedRounds = new List<string>();

        for (var round = 0; round < Rounds; round++)
        {
            var name = $"gone{round}";
            var prefix = $"r{round}-c";
            var adds = AddAllTogether(sandbox, plugin, remotes, ports, name, prefix, pauseServer: false);
            var setup = Failures(adds, "ADD").ToList();
            setup.AddRange(ProblemsOfFullMirror(await RaceOvsdbState.ReadAsync(sandbox), name, ports, prefix));
            setup.Should().BeEmpty($"round {round} needs its {Callers} members before they leave");

            var dels = RaceCallers.RunTogether(
                sandbox,
                [.. ports.Select((_, i) => (Func<PluginRun>)(() => remotes.Del(plugin, i, "br1", prefix + i.ToString(CultureInfo.InvariantCulture),
                    i % 2 == 0 ? ports[i] : null)))],
                pauseServer: true, remotes);

            var problems = Failures(dels, "DEL").ToList();
            var mirrors = await sandbox.MirrorsAsync();
            if (mirrors.Count > 0)
            {
                problems.Add($"{mirrors.Count} Mirror rows left (orphans): {string.Join(", ", mirrors.Select(m => m.Name))}");
            }

            var onBridge = await sandbox.BridgeMirrorsAsync("br1");
            if (onBridge.Count > 0)
            {
                problems.Add($"Bridge br1 still lists {onBridge.Count} mirrors");
            }

            if (problems.Count > 0)
            {
                failedRounds.Add($"round {round}: {string.Join("; ", problems)}");
                foreach (var uuid in onBridge)
                {
                    await sandbox.VsctlAsync("remove", "Bridge", "br1", "mirrors", uuid);
                }
            }
        }

        output.WriteLine($"{Rounds} rounds of {Callers} parallel DELs of the last members; failed rounds: {failedRounds.Count}");
        failedRounds.Should().BeEmpty();
    }

    /// <summary>One pod of the soak: fixed port, container and mirror entries, so its expected effect is known.</summary>
    private sealed record SoakPod(string Bridge, string Port, string ContainerId, IReadOnlyList<SoakEntry> Entries)
    {
        public JsonArray Config => [.. Entries.Select(e => (JsonNode)e.Config)];

        public override string ToString() => $"{ContainerId}({string.Join(",", Entries)})";
    }

    /// <summary>A consumer (output port), or a producer selecting src and/or dst.</summary>
    private sealed record SoakEntry(string Mirror, bool Consumer, bool Src, bool Dst)
    {
        public JsonObject Config => Consumer
            ? new JsonObject { ["name"] = Mirror, ["output"] = "port" }
            : new JsonObject
            {
                ["name"] = Mirror,
                ["selection"] = new JsonArray([.. new[] { Src ? "src_port" : null, Dst ? "dst_port" : null }.OfType<string>().Select(s => (JsonNode)s)]),
            };

        public override string ToString() => Mirror + (Consumer ? ":out" : Src && Dst ? ":src+dst" : Src ? ":src" : ":dst");
    }

    /// <summary>Running totals of the soak, printed at the end.</summary>
    private sealed class SoakTotals
    {
        public int Attempts { get; set; }

        public int Adds { get; set; }

        public int Dels { get; set; }

        public int Successes { get; set; }

        public int OutputConflicts { get; set; }

        public int PausedRounds { get; set; }

        public int FailedGuards { get; set; }

        public int Duplicates { get; set; }

        public int LostMembers { get; set; }

        public int Orphans { get; set; }

        public int Ghosts { get; set; }
    }

    private static readonly string[] SoakBridges = ["br1", "br2"];
    private static readonly string[] SoakMirrors = ["m1", "m2", "m3"];

    [OvsFact]
    public async Task MixedSoak_OfParallelAddsAndDels_OnTwoBridgesWithTheSameMirrorNames_KeepsExactlyTheSuccessfulAttachments()
    {
        const int SoakRounds = 20;
        const int Threads = 24;
        const int PodsPerBridge = 16;
        var random = new Random(20_260_601); // seeded: a failing round can be replayed
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        var pods = new List<SoakPod>();
        foreach (var bridge in SoakBridges)
        {
            await sandbox.VsctlAsync("add-br", bridge);
            var ports = await AddPortsAsync(sandbox, bridge, "b" + bridge[2..] + "p", PodsPerBridge);
            foreach (var port in ports)
            {
                var names = SoakMirrors.OrderBy(_ => random.Next()).Take(random.Next(1, 3));
                pods.Add(new SoakPod(bridge, port, "s" + port, [.. names.Select(name => RandomEntry(random, name))]));
            }
        }

        var plugin = new PluginHarness(sandbox);
        await WarmUpAsync(sandbox, plugin, "br1", pods[0].Port);
        var remotes = await RaceRemotes.AddAsync(sandbox, Threads);
        var log = await RaceServerLog.EnableAsync(sandbox);
        var attached = new bool[pods.Count];
        var totals = new SoakTotals();
        var failedRounds = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        for (var round = 0; round < SoakRounds; round++)
        {
            var atStart = (bool[])attached.Clone();
            var chosen = Enumerable.Range(0, pods.Count).OrderBy(_ => random.Next()).Take(Threads).ToArray();
            // Rounds alternate between filling (mostly ADD) and draining (mostly DEL), so mirrors keep being emptied,
            // removed and created again: creates collide, and joins race the removal of an emptied mirror.
            var addShare = round % 4 < 2 ? 0.75 : 0.3;
            var isAdd = chosen.Select(_ => random.NextDouble() < addShare).ToArray();
            var paused = round % 2 == 1;
            totals.PausedRounds += paused ? 1 : 0;
            var mark = log.Mark();

            var runs = RaceCallers.RunTogether(
                sandbox,
                [.. chosen.Select((p, k) => (Func<PluginRun>)(() => isAdd[k]
                    ? remotes.Add(plugin, k, pods[p].Bridge, pods[p].Port, pods[p].Config, pods[p].ContainerId)
                    : remotes.Del(plugin, k, pods[p].Bridge, pods[p].ContainerId, k % 2 == 0 ? pods[p].Port : null)))],
                paused, remotes);

            totals.FailedGuards += log.FailedGuardsSince(mark).Count;
            var problems = new List<string>();
            var addedNow = chosen.Where((_, k) => isAdd[k] && runs[k].ExitCode == 0).ToHashSet();
            for (var k = 0; k < chosen.Length; k++)
            {
                var pod = pods[chosen[k]];
                var run = runs[k];
                totals.Attempts++;
                if (isAdd[k])
                {
                    totals.Adds++;
                }
                else
                {
                    totals.Dels++;
                }

                if (run.ExitCode == 0)
                {
                    totals.Successes++;
                    attached[chosen[k]] = isAdd[k];
                }
                else if (isAdd[k] && run.Code == PluginErrorCode.MirrorOutputTaken)
                {
                    // A valid outcome when another consumer of the same mirror on the same bridge held, or took, the output.
                    totals.OutputConflicts++;
                    var rivals = Enumerable.Range(0, pods.Count).Where(q => q != chosen[k] && pods[q].Bridge == pod.Bridge &&
                        (atStart[q] || addedNow.Contains(q)) &&
                        pods[q].Entries.Any(e => e.Consumer && pod.Entries.Any(o => o.Consumer && o.Mirror == e.Mirror)));
                    if (!rivals.Any())
                    {
                        problems.Add($"ADD {pod} got code 100 with no other consumer of its mirror: {run.Message}");
                    }
                }
                else
                {
                    problems.Add($"{(isAdd[k] ? "ADD" : "DEL")} {pod} failed: code {run.Code}: {run.Message}");
                }
            }

            problems.AddRange(SoakProblems(await RaceOvsdbState.ReadAsync(sandbox), pods, attached, totals));
            if (problems.Count > 0)
            {
                failedRounds.Add($"round {round}{(paused ? " (paused)" : "")}: {string.Join("; ", problems)}");
                await ResetAsync(sandbox, plugin, pods, attached);
            }
        }

        output.WriteLine(
            $"soak: {SoakRounds} rounds ({totals.PausedRounds} with the server paused) x {Threads} threads, {clock.ElapsedMilliseconds} ms; " +
            $"attempts {totals.Attempts} ({totals.Adds} ADD, {totals.Dels} DEL), successes {totals.Successes}, " +
            $"code-100 conflicts {totals.OutputConflicts}, guards refused by the server {totals.FailedGuards}; " +
            $"failed rounds {failedRounds.Count}: duplicates {totals.Duplicates}, lost members {totals.LostMembers}, " +
            $"orphans {totals.Orphans}, members left after DEL {totals.Ghosts}");
        failedRounds.Should().BeEmpty();
        (totals.Successes + totals.OutputConflicts).Should().Be(totals.Attempts);
        totals.FailedGuards.Should().BePositive("the callers' transactions should have collided in the server");

        // And every attachment can still leave: nothing is left behind.
        await ResetAsync(sandbox, plugin, pods, attached);
    }

    private static SoakEntry RandomEntry(Random random, string name)
    {
        if (random.NextDouble() < 0.25)
        {
            return new SoakEntry(name, Consumer: true, Src: false, Dst: false);
        }

        var which = random.Next(3);
        return new SoakEntry(name, Consumer: false, Src: which != 1, Dst: which != 0);
    }

    /// <summary>Compares OVSDB with the attachments whose last successful call was an ADD.</summary>
    private static List<string> SoakProblems(RaceOvsdbState state, List<SoakPod> pods, bool[] attached, SoakTotals totals)
    {
        var problems = new List<string>();
        foreach (var bridge in SoakBridges)
        {
            foreach (var row in state.OnBridge(bridge).Where(m => !SoakMirrors.Contains(m.Name)))
            {
                problems.Add($"{bridge} has an unexpected mirror {row.Name}");
            }

            foreach (var name in SoakMirrors)
            {
                var members = pods.Select((pod, i) => (pod, i))
                    .Where(x => attached[x.i] && x.pod.Bridge == bridge && x.pod.Entries.Any(e => e.Mirror == name))
                    .Select(x => (x.pod, entry: x.pod.Entries.Single(e => e.Mirror == name)))
                    .ToList();
                var rows = state.OnBridge(bridge, name);
                if (rows.Count > 1)
                {
                    totals.Duplicates += rows.Count - 1;
                    problems.Add($"{rows.Count} mirrors named {name} on {bridge}");
                    continue;
                }

                if (rows.Count == 0)
                {
                    if (members.Count > 0)
                    {
                        totals.LostMembers += members.Count;
                        problems.Add($"{name} on {bridge} is missing; its members {string.Join(", ", members.Select(m => m.pod))} are lost");
                    }

                    continue;
                }

                var row = rows[0];
                if (row.RecordKeys.Count == 0 || !row.Owned)
                {
                    totals.Orphans++;
                    problems.Add($"{name} on {bridge} has no attachment record or no owner marker (orphan): " +
                        string.Join(", ", row.ExternalIds.Keys));
                }

                var wantKeys = members.Select(m => RaceMirrorRow.RecordKey(m.pod.ContainerId)).ToHashSet();
                var lost = wantKeys.Except(row.RecordKeys).ToList();
                var ghosts = row.RecordKeys.Except(wantKeys).ToList();
                totals.LostMembers += lost.Count;
                totals.Ghosts += ghosts.Count;
                if (lost.Count > 0 || ghosts.Count > 0)
                {
                    problems.Add($"{name} on {bridge}: records lost [{string.Join(", ", lost)}], left after DEL [{string.Join(", ", ghosts)}]");
                }

                CheckColumn("select_src_port", row.SrcPorts, members.Where(m => m.entry.Src));
                CheckColumn("select_dst_port", row.DstPorts, members.Where(m => m.entry.Dst));
                CheckColumn("output_port", row.OutputPort is { } o ? new HashSet<string> { o } : [], members.Where(m => m.entry.Consumer));

                void CheckColumn(string column, IReadOnlySet<string> actual, IEnumerable<(SoakPod pod, SoakEntry entry)> expected)
                {
                    var want = expected.Select(m => state.PortUuids[m.pod.Port]).ToHashSet();
                    if (!actual.SetEquals(want))
                    {
                        totals.LostMembers += want.Except(actual).Count();
                        totals.Ghosts += actual.Except(want).Count();
                        problems.Add($"{name} on {bridge}: {column} has {actual.Count} ports, expected " +
                            string.Join(", ", expected.Select(m => m.pod.Port)));
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>DELs every pod one by one and checks that nothing is left: the model starts again from empty.</summary>
    private static async Task ResetAsync(OvsSandbox sandbox, PluginHarness plugin, List<SoakPod> pods, bool[] attached)
    {
        foreach (var pod in pods)
        {
            plugin.Del(pod.Bridge, pod.ContainerId).ShouldSucceed();
        }

        Array.Clear(attached);
        (await sandbox.MirrorsAsync()).Should().BeEmpty("every attachment was deleted");
    }

    [OvsFact]
    public async Task AddRacingTheDelOfTheLastMember_NeverLosesTheNewMember()
    {
        const int SoloRounds = 100;
        var random = new Random(4_711); // seeded: a failing round can be replayed
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        await sandbox.AddPortsAsync("br1", "leaving", "joining");
        var plugin = new PluginHarness(sandbox);
        await WarmUpAsync(sandbox, plugin, "br1", "leaving");
        var remotes = await RaceRemotes.AddAsync(sandbox, 2);
        var log = await RaceServerLog.EnableAsync(sandbox);
        var failedRounds = new List<string>();
        var refusedGuards = 0;

        for (var round = 0; round < SoloRounds; round++)
        {
            var name = $"solo{round}";
            var mirrors = Producer(name, "src_port");
            var (leaver, joiner) = ($"leave{round}", $"join{round}");
            plugin.Add("br1", "leaving", mirrors, leaver).ShouldSucceed();

            // An in-process DEL takes 0.5-2 ms here (read bridge, read mirrors, detach, remove-if-empty) and an ADD
            // reads after about half of its 0.5-1.5 ms. So most rounds start the ADD 0-2.5 ms after the DEL, which
            // lands its read and its commit before, inside and after the window between the DEL's detach and its
            // remove-if-empty; some start the DEL late instead; and a tenth meet in the paused server.
            var paused = round % 10 == 0;
            var delDelay = TimeSpan.FromMicroseconds(round % 10 == 5 ? random.Next(0, 1000) : 0);
            var addDelay = TimeSpan.FromMicroseconds(paused || round % 10 == 5 ? 0 : random.Next(0, 2500));
            var mark = log.Mark();

            var runs = RaceCallers.RunTogether(
                sandbox,
                [
                    () => { RaceCallers.SpinFor(delDelay); return remotes.Del(plugin, 0, "br1", leaver, round % 2 == 0 ? "leaving" : null); },
                    () => { RaceCallers.SpinFor(addDelay); return remotes.Add(plugin, 1, "br1", "joining", mirrors, joiner); },
                ],
                paused, remotes);

            refusedGuards += log.FailedGuardsSince(mark).Count;
            var problems = Failures(runs, "DEL, ADD").ToList();
            var state = await RaceOvsdbState.ReadAsync(sandbox);
            var rows = state.OnBridge("br1", name);
            if (rows.Count != 1)
            {
                problems.Add($"{rows.Count} mirrors named {name} on br1: the joining member is {(rows.Count == 0 ? "lost" : "duplicated")}");
            }
            else
            {
                var row = rows[0];
                if (!row.RecordKeys.SetEquals([RaceMirrorRow.RecordKey(joiner)]) || !row.Owned ||
                    !row.SrcPorts.SetEquals([state.PortUuids["joining"]]))
                {
                    problems.Add($"{name}: records [{string.Join(", ", row.ExternalIds.Keys)}], {row.SrcPorts.Count} src ports");
                }
            }

            if (problems.Count > 0)
            {
                failedRounds.Add($"round {round} (DEL +{delDelay.TotalMicroseconds} us, ADD +{addDelay.TotalMicroseconds} us" +
                    $"{(paused ? ", paused" : "")}): {string.Join("; ", problems)}");
            }

            plugin.Del("br1", joiner).ShouldSucceed();
            plugin.Del("br1", leaver).ShouldSucceed();
        }

        (await sandbox.MirrorsAsync()).Should().BeEmpty();
        output.WriteLine($"{SoloRounds} rounds of ADD racing the DEL of the last member; failed rounds: {failedRounds.Count}; " +
            $"guards refused by the server (an ADD that lost its mirror to the cleanup, or a cleanup that lost to the ADD): {refusedGuards}");
        failedRounds.Should().BeEmpty();
        refusedGuards.Should().BePositive("in some rounds the ADD should land inside the DEL's detach/remove-if-empty window");
    }
}
