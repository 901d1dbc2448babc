using System.Globalization;
using System.Text;

namespace OvsMirror.Bench;

/// <summary>Everything one run measured.</summary>
internal sealed class Results
{
    public required Options Options { get; init; }

    public required Machine Machine { get; init; }

    public required string Commit { get; init; }

    public required string Binary { get; init; }

    public required DateTime StartedUtc { get; init; }

    public string LoadAtEnd { get; set; } = "";

    public TimeSpan Duration { get; set; }

    public LatencyBench? Latency { get; set; }

    public SweepBench? Sweep { get; set; }

    public StormBench? StormPlain { get; set; }

    public StormBench? StormPurge { get; set; }

    public MountTableBench? MountTable { get; set; }

    public List<(string Name, string Path, long Bytes)> Sizes { get; } = [];

    public List<string> Errors { get; } = [];
}

/// <summary>Writes results.md.</summary>
internal static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Markdown(Results r)
    {
        var md = new StringBuilder();
        var o = r.Options;
        md.AppendLine("# ovs-mirror benchmark (hack/bench)").AppendLine();
        md.AppendLine(Inv, $"{(o.Smoke ? "**SMOKE RUN** (tiny sizes, a test of the harness: these numbers mean nothing). " : "")}" +
                           $"Run {r.StartedUtc:yyyy-MM-dd HH:mm} UTC, commit `{r.Commit}`, {r.Duration.TotalSeconds:0} s, seed {o.Seed}; " +
                           $"`hack/bench/run {string.Join(' ', o.CommandLine)}`. Binary: {r.Binary}.").AppendLine();
        if (r.Errors.Count > 0)
        {
            md.AppendLine("**ERRORS** (the sections below may be incomplete):").AppendLine();
            foreach (var e in r.Errors)
            {
                md.AppendLine("- " + e.ReplaceLineEndings(" "));
            }

            md.AppendLine();
        }

        var m = r.Machine;
        md.AppendLine("## Machine").AppendLine();
        md.AppendLine("| nproc | CPU | kernel | OS | memory | load avg at start (1/5/15 min) | at end | OVS | .NET |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        md.AppendLine(Inv, $"| {m.Cpus} | {m.CpuModel} | {m.Kernel} | {m.Os} | {m.Memory} | {m.LoadAverage} | {r.LoadAtEnd} | {m.Ovs} | {m.DotNet} |");
        md.AppendLine();

        Issue14Targets(md, r);
        Targets(md, r);
        if (r.Latency is { } lat)
        {
            Latency(md, lat, o);
            StartupBreakdown(md, lat);
        }

        if (r.Sweep is { } sweep)
        {
            Sweep(md, sweep, o);
        }

        Storm(md, r, o);
        Memory(md, r);
        if (r.MountTable is { } mounts)
        {
            MountTable(md, mounts, o);
        }

        Method(md);
        return md.ToString();
    }

    /// <summary>The median of per-iteration sums of two contenders that run once per iteration (ADD then DEL of one group).</summary>
    public static Stats Pair(Samples samples, string first, string second) =>
        new(samples.Of(first).Zip(samples.Of(second), (a, b) => a.WallMs + b.WallMs));

    private static void Issue14Targets(StringBuilder md, Results r)
    {
        md.AppendLine("## Targets of issue 14 (start-up and flat DEL)").AppendLine();
        md.AppendLine("| target | measured | |");
        md.AppendLine("|---|---|---|");
        if (r.Latency is { } lat)
        {
            var s = lat.Samples;
            var add = s.StatsOf("producer ADD").P50;
            var hello = s.StatsOf(LatencyBench.Hello).P50;
            var pair = Pair(s, "producer ADD", "producer DEL").P50;
            var vsctl = Pair(s, LatencyBench.VsctlAdd, LatencyBench.VsctlRemove).P50;
            // The floor of these three: the hello's start-up plus the plugin's own work after Main (§2), as if ovs-mirror
            // started as fast as an empty NativeAOT program.
            var workAdd = WorkAfterMain(s, "producer ADD");
            var workDel = WorkAfterMain(s, "producer DEL");
            var addFloor = workAdd is { } wa ? string.Create(Inv, $"; floor: the hello plus ADD's work after `Main` ({Ms(wa)} ms, §2) = {(hello + wa) / hello:0.00}×") : "";
            var pairFloor = workAdd is { } a2 && workDel is { } d2 ? 2 * hello + a2 + d2 : (double?)null;
            // The floor of this image: its own start-up and exit, measured as VERSION (the same binary, no OVSDB work)
            // less VERSION's work after Main, plus the calls' work after Main.
            var version = s.Of(LatencyBench.Version).Count > 0 ? s.StatsOf(LatencyBench.Version).P50 : (double?)null;
            var imageStart = version is { } v && WorkAfterMain(s, LatencyBench.Version) is { } wv ? v - wv : (double?)null;
            if (imageStart is { } i1 && workAdd is { } a3)
            {
                addFloor += string.Create(Inv, $"; this image's floor: its start-up and exit ({Ms(i1)} ms: VERSION, §1, less its work after `Main`, §2) plus ADD's work = {(i1 + a3) / hello:0.00}×");
                // A call that commits is reaped later than one that does not: ovs-vswitchd, told of the change, reconfigures
                // on the same cores while the process exits. CHECK (same image, same reads, no commit) is the reference.
                if (ExitTail(s, "producer ADD") is { } tailAdd && ExitTail(s, "producer CHECK") is { } tailCheck)
                {
                    addFloor += string.Create(Inv, $"; plus what ovs-vswitchd's reaction to the commit adds to its exit (exit → reaped, p50 of §2's timed twins: ADD {Ms(tailAdd)} ms, CHECK {Ms(tailCheck)} ms) = {(i1 + a3 + Math.Max(0, tailAdd - tailCheck)) / hello:0.00}×");
                }
            }

            var imagePairFloor = imageStart is { } i2 && workAdd is { } a4 && workDel is { } d4 ? 2 * i2 + a4 + d4 : (double?)null;
            string PairFloor(double other, string whom) =>
                (pairFloor is { } f
                    ? string.Create(Inv, $"; floor: two hellos plus both calls' work after `Main` = {Ms(f)} ms = {f / other:0.00}× {whom}")
                    : "") +
                (imagePairFloor is { } g
                    ? string.Create(Inv, $"; this image's floor: two of its start-ups and exits plus both calls' work = {Ms(g)} ms = {g / other:0.00}×")
                    : "");
            Row(md, "ADD p50 ≤ 1.3× the bare NativeAOT hello", $"{Ms(add)} ms = {add / hello:0.00}× hello ({Ms(hello)} ms){addFloor}", add <= 1.3 * hello);
            Row(md, "ADD+DEL pair p50 ≤ 0.5× the ovs-vsctl add+remove pair",
                $"{Ms(pair)} ms = {pair / vsctl:0.00}× ovs-vsctl ({Ms(vsctl)} ms){PairFloor(vsctl, "ovs-vsctl")}", pair <= 0.5 * vsctl);
            if (s.Of(LatencyBench.OvsCniAdd).Count > 0)
            {
                var peer = Pair(s, LatencyBench.OvsCniAdd, LatencyBench.OvsCniDel).P50;
                Row(md, "ADD+DEL pair p50 ≤ 0.35× ovs-cni's ovs-mirror-producer pair",
                    $"{Ms(pair)} ms = {pair / peer:0.00}× ovs-cni ({Ms(peer)} ms){PairFloor(peer, "ovs-cni")}", pair <= 0.35 * peer);
            }
            else
            {
                md.AppendLine(Inv, $"| ADD+DEL pair p50 ≤ 0.35× ovs-cni's pair | skipped: {r.Options.OvsCniSkipped} | — |");
            }
        }

        if (r.Sweep is { Points.Count: > 1 } sweep)
        {
            var empty = sweep.Points[0].Point;
            foreach (var (point, _) in sweep.Points.Skip(1).Where(p => p.Point.Members >= 1000))
            {
                foreach (var call in new[] { SweepBench.Add, SweepBench.Del })
                {
                    var busy = sweep.Samples.StatsOf(SweepBench.Name(point, call)).P50;
                    var baseline = sweep.Samples.StatsOf(SweepBench.Name(empty, call)).P50;
                    var floor = FloorGrowth(sweep, point, call);
                    var measured = $"{Ms(busy)} / {Ms(baseline)} ms = {busy / baseline:0.00}" + (floor is { } f
                        ? string.Create(Inv, $"; ovsdb-server's own growth for these operations (§3, server floor) is {Signed(f)} ms, the plugin's beyond it {Signed(busy - baseline - f)} ms")
                        : "");
                    Row(md, $"{call}: {point.Label} ÷ empty ≤ 1.10", measured, busy <= 1.10 * baseline);
                }
            }
        }

        foreach (var (storm, what) in new[] { (r.StormPlain, "no revalidation"), (r.StormPurge, "+purge") })
        {
            if (storm is not { Rounds.Count: > 0 } st)
            {
                continue;
            }

            var failures = st.Rounds.Sum(x => x.AddFailures + x.DelFailures);
            var worst = st.Rounds.Max(x => Math.Max(x.AddWallMs, x.DelWallMs));
            Row(md, $"storm ({what}): 0 failures, waves no slower than before (1.0–1.1 s; +purge 1.3 s)",
                $"{failures} failed calls, slowest wave {worst / 1000:0.00} s", failures == 0 && worst <= (what == "+purge" ? 1300 : 1100));
        }

        if (r.Latency is { Memory.Count: > 0 } mem && mem.Memory.TryGetValue("producer ADD", out var probe))
        {
            Row(md, "max RSS of an ADD ≤ 6.6 MiB", $"{probe.MaxRssKb / 1024.0:0.0} MiB (max of {probe.N})", probe.MaxRssKb <= 6.6 * 1024);
        }

        md.AppendLine();
    }

    private static void Targets(StringBuilder md, Results r)
    {
        md.AppendLine("## Targets of issue 5").AppendLine();
        md.AppendLine("| target | measured | |");
        md.AppendLine("|---|---|---|");
        if (r.Latency is { } lat)
        {
            var add = lat.Samples.StatsOf("producer ADD").P50;
            var addPurge = lat.Samples.StatsOf("producer ADD" + LatencyBench.Purge).P50;
            var hello = lat.Samples.StatsOf(LatencyBench.Hello).P50;
            var vsctl = lat.Samples.StatsOf(LatencyBench.VsctlAdd).P50;
            Row(md, "ADD p50 ≤ 2× bare NativeAOT start", $"{Ms(add)} ms = {add / hello:0.00}× hello ({Ms(hello)} ms); +purge {Ms(addPurge)} ms = {addPurge / hello:0.00}×", add <= 2 * hello);
            Row(md, "ADD p50 ≤ 0.5× the ovs-vsctl change", $"{add / vsctl:0.00}× ovs-vsctl ({Ms(vsctl)} ms); +purge {addPurge / vsctl:0.00}×", add <= 0.5 * vsctl);
        }

        if (r.Sweep is { Points.Count: > 1 } sweep)
        {
            var empty = sweep.Points[0].Point;
            var largest = sweep.Points.MaxBy(p => p.Shape.Rows).Point;
            var a0 = sweep.Samples.StatsOf(SweepBench.Name(empty, SweepBench.Add)).P50;
            var a1 = sweep.Samples.StatsOf(SweepBench.Name(largest, SweepBench.Add)).P50;
            var d0 = sweep.Samples.StatsOf(SweepBench.Name(empty, SweepBench.Del)).P50;
            var d1 = sweep.Samples.StatsOf(SweepBench.Name(largest, SweepBench.Del)).P50;
            Row(md, "flat: ADD at the largest point within 25% of empty",
                $"{largest.Label}: ADD {Ms(a1)} vs {Ms(a0)} ms ({Pct(a1 / a0)}); DEL {Ms(d1)} vs {Ms(d0)} ms ({Pct(d1 / d0)})", a1 <= 1.25 * a0);
        }

        foreach (var (storm, what) in new[] { (r.StormPlain, "no revalidation"), (r.StormPurge, "+purge") })
        {
            if (storm is not { Rounds.Count: > 0 } s)
            {
                continue;
            }

            var failures = s.Rounds.Sum(x => x.AddFailures + x.DelFailures);
            var wrong = s.Rounds.Count(x => x.AfterAddProblems.Count + x.AfterDelProblems.Count > 0);
            var worst = s.Rounds.Max(x => Math.Max(x.AddWallMs, x.DelWallMs));
            Row(md, $"storm ({what}): 0 failures, ≤ 3 s wall",
                $"{failures} failed calls, {wrong}/{s.Rounds.Count} rounds with a wrong OVSDB state, slowest wave {worst / 1000:0.00} s",
                failures == 0 && wrong == 0 && worst <= 3000);
        }

        if (r.Latency is { Memory.Count: > 0 } mem && mem.Memory.TryGetValue("producer ADD", out var probe))
        {
            Row(md, "max RSS ≤ 32 MB", $"producer ADD: {probe.MaxRssKb / 1024.0:0.0} MiB (max of {probe.N})", probe.MaxRssKb * 1024 <= 32_000_000);
        }

        md.AppendLine();
    }

    private static void Row(StringBuilder md, string target, string measured, bool met) =>
        md.AppendLine(Inv, $"| {target} | {measured} | {(met ? "met" : "**not met**")} |");

    private static void Latency(StringBuilder md, LatencyBench lat, Options o)
    {
        var n = lat.Samples.StatsOf(LatencyBench.True).N;
        md.AppendLine("## 1. Latency per call (ms)").AppendLine();
        md.AppendLine(Inv, $"{n} interleaved iterations (+{o.Warmup} warm-up): each iteration runs every contender once, the order shuffled " +
                           $"(ADD → CHECK → DEL of one attachment keep their order). One sandbox: ovsdb-server + ovs-vswitchd (netdev datapath), " +
                           $"bridge br1 with 13 internal ports; every measured call joins or leaves a mirror that already has a resident producer. " +
                           $"Wall time from spawn to reaped, as the harness sees it: posix_spawnp(3) and pipes, as Go's os/exec in containerd and Multus (Method).").AppendLine();
        md.AppendLine("| contender | n | p50 | p90 | p99 | mean | min | max |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var name in new[] { LatencyBench.True, LatencyBench.Hello, LatencyBench.Version, LatencyBench.VsctlAdd, LatencyBench.VsctlRemove }
                     .Concat(lat.Samples.Of(LatencyBench.OvsCniAdd).Count > 0 ? [LatencyBench.OvsCniAdd, LatencyBench.OvsCniDel] : [])
                     .Concat(LatencyBench.PluginContenders.Select(c => "ovs-mirror " + c)))
        {
            var key = name.StartsWith("ovs-mirror ", StringComparison.Ordinal) ? name["ovs-mirror ".Length..] : name;
            var s = lat.Samples.StatsOf(key);
            md.AppendLine(Inv, $"| {name} | {s.N} | {Ms(s.P50)} | {Ms(s.P90)} | {Ms(s.P99)} | {Ms(s.Mean)} | {Ms(s.Min)} | {Ms(s.Max)} |");
        }

        md.AppendLine();
        md.AppendLine("Pairs (median of the per-iteration sum of the two calls):").AppendLine();
        md.AppendLine("| pair | n | p50 | p90 |");
        md.AppendLine("|---|---|---|---|");
        foreach (var (label, first, second) in new[]
                 {
                     ("`/bin/true` ×2", LatencyBench.True, LatencyBench.True),
                     ("hello ×2", LatencyBench.Hello, LatencyBench.Hello),
                     ("ovs-vsctl add + remove", LatencyBench.VsctlAdd, LatencyBench.VsctlRemove),
                     ("ovs-cni ovs-mirror-producer ADD + DEL", LatencyBench.OvsCniAdd, LatencyBench.OvsCniDel),
                     ("ovs-mirror producer ADD + DEL", "producer ADD", "producer DEL"),
                     ("ovs-mirror consumer ADD + DEL", "consumer ADD", "consumer DEL"),
                 })
        {
            var p = first == second ? new Stats(lat.Samples.Of(first).Select(x => 2 * x.WallMs)) : Pair(lat.Samples, first, second);
            if (p.N > 0)
            {
                md.AppendLine(Inv, $"| {label} | {p.N} | {Ms(p.P50)} | {Ms(p.P90)} |");
            }
        }

        md.AppendLine();
        md.AppendLine("`+purge`: `flowRevalidation: purge` with `vswitchdCtl` set, so each change is followed by `revalidator/purge` on ovs-vswitchd " +
                      "(no traffic flows in the sandbox, so the datapath holds no flows to purge: this is the fixed cost of the call). " +
                      "The others use `flowRevalidation: none`.").AppendLine();
    }

    private static void StartupBreakdown(StringBuilder md, LatencyBench lat)
    {
        string[] contenders = [LatencyBench.Hello, LatencyBench.Version, .. LatencyBench.PluginContenders];
        var breakdowns = contenders.Select(c => Breakdown.Of(lat.Samples.Of(c + LatencyBench.Timed))).ToList();
        if (breakdowns.All(b => b.Runs == 0))
        {
            return;
        }

        md.AppendLine("## 2. Startup breakdown (mean ms per phase, from `OVS_MIRROR_TIMING`)").AppendLine();
        md.AppendLine("Timed twins of the calls above (own mirrors and ports, same iterations). `main` is spawn → `Main` (the harness's " +
                      "posix_spawnp, exec, loader, NativeAOT runtime init); `transactN` is the N-th OVSDB round trip; a phase a run did not " +
                      "have counts as 0. The hello prints the same line (`output` = its Console.WriteLine); its `main` is the stock runtime's " +
                      "start-up, which ovs-mirror's undercuts: its runtime skips the mount-table scan and the cache probe (§6). The last rows " +
                      "compare the harness wall time of the timed and the untimed calls.").AppendLine();
        BreakdownTable(md, [.. contenders.Select(c => c == LatencyBench.Hello ? "hello" : c == LatencyBench.Version ? "VERSION" : Short(c))], breakdowns,
            [.. contenders.Select(c => lat.Samples.StatsOf(c + LatencyBench.Timed).P50)], [.. contenders.Select(c => lat.Samples.StatsOf(c).P50)]);
        var hello = lat.Samples.StatsOf(LatencyBench.Hello).P50;
        var truth = lat.Samples.StatsOf(LatencyBench.True).P50;
        md.AppendLine(Inv, $"For scale: `/bin/true` {Ms(truth)} ms and the bare NativeAOT hello {Ms(hello)} ms wall (p50), in the same iterations.").AppendLine();
    }

    private static void BreakdownTable(StringBuilder md, IReadOnlyList<string> headers, IReadOnlyList<Breakdown> breakdowns,
        IReadOnlyList<double> timedP50, IReadOnlyList<double> untimedP50)
    {
        md.AppendLine("| phase | " + string.Join(" | ", headers) + " |");
        md.AppendLine("|---|" + string.Concat(headers.Select(_ => "---|")));
        foreach (var phase in Breakdown.Phases(breakdowns))
        {
            var cells = breakdowns.Select(b => b.Means.TryGetValue(phase, out var v) ? Ms(v) : "—");
            var label = phase == "total" ? "**total** (spawn → exit)" : phase;
            md.AppendLine(Inv, $"| {label} | {string.Join(" | ", cells)} |");
        }

        md.AppendLine("| runs | " + string.Join(" | ", breakdowns.Select(b => b.Runs.ToString(Inv))) + " |");
        md.AppendLine("| wall p50, timed | " + string.Join(" | ", timedP50.Select(Ms)) + " |");
        md.AppendLine("| wall p50, untimed | " + string.Join(" | ", untimedP50.Select(Ms)) + " |");
        md.AppendLine();
    }

    private static string Short(string contender) => contender.Replace("producer", "prod", StringComparison.Ordinal)
        .Replace("consumer", "cons", StringComparison.Ordinal);

    private static void Sweep(StringBuilder md, SweepBench sweep, Options o)
    {
        if (sweep.Points.Count == 0)
        {
            return;
        }

        var n = sweep.Samples.StatsOf(SweepBench.Name(sweep.Points[0].Point, SweepBench.Add)).N;
        md.AppendLine("## 3. Scale sweep (ms)").AppendLine();
        md.AppendLine(Inv, $"One ovsdb-server per point (no ovs-vswitchd, `flowRevalidation: none`), all built by the plugin itself " +
                           $"(members and mirrors are real attachments with their records). {n} interleaved iterations (+{o.Warmup} warm-up) " +
                           $"over all points; each runs ADD then DEL of one producer port on mirror `bm` of br1, and ovs-vsctl adding/removing " +
                           $"another port to/from the same mirror. `bm` always has a resident consumer; *members* are producer ports already on it; " +
                           $"the other bridges' 32 mirrors reuse the names of br1's, so a lookup by name also finds their rows.").AppendLine();
        md.AppendLine("| point | mirrors (all bridges) | ports | OVSDB rows | db KiB | ADD p50 | p90 | p99 | DEL p50 | p90 | p99 | vsctl add p50 | vsctl remove p50 | ADD / empty | DEL / empty |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        var baseAdd = sweep.Samples.StatsOf(SweepBench.Name(sweep.Points[0].Point, SweepBench.Add)).P50;
        var baseDel = sweep.Samples.StatsOf(SweepBench.Name(sweep.Points[0].Point, SweepBench.Del)).P50;
        foreach (var (p, shape) in sweep.Points)
        {
            var add = sweep.Samples.StatsOf(SweepBench.Name(p, SweepBench.Add));
            var del = sweep.Samples.StatsOf(SweepBench.Name(p, SweepBench.Del));
            var va = sweep.Samples.StatsOf(SweepBench.Name(p, SweepBench.VsctlAdd));
            var vr = sweep.Samples.StatsOf(SweepBench.Name(p, SweepBench.VsctlRemove));
            md.AppendLine(Inv, $"| {p.Label} | {shape.Mirrors} | {shape.Ports} | {shape.Rows} | {shape.DbFileBytes / 1024} | " +
                               $"{Ms(add.P50)} | {Ms(add.P90)} | {Ms(add.P99)} | {Ms(del.P50)} | {Ms(del.P90)} | {Ms(del.P99)} | " +
                               $"{Ms(va.P50)} | {Ms(vr.P50)} | {add.P50 / baseAdd:0.00} | {del.P50 / baseDel:0.00} |");
        }

        md.AppendLine();
        md.AppendLine("Plot: `latency-vs-db-size.svg` (p50 with p10–p90 bars).").AppendLine();
        ServerFloorTable(md, sweep);
        var timed = sweep.TimedPoints;
        if (timed.Count > 0)
        {
            md.AppendLine("Where the time goes (mean ms per phase, `OVS_MIRROR_TIMING`; timed twins with their own port, same iterations):").AppendLine();
            var names = timed.SelectMany(p => new[] { (p, SweepBench.Add), (p, SweepBench.Del) }).ToList();
            BreakdownTable(md, [.. names.Select(n => $"{n.p.Label}: {n.Item2}")],
                [.. names.Select(n => Breakdown.Of(sweep.Samples.Of(SweepBench.Name(n.p, n.Item2 + SweepBench.Timed))))],
                [.. names.Select(n => sweep.Samples.StatsOf(SweepBench.Name(n.p, n.Item2 + SweepBench.Timed)).P50)],
                [.. names.Select(n => sweep.Samples.StatsOf(SweepBench.Name(n.p, n.Item2)).P50)]);
        }
    }

    /// <summary>
    /// ServerFloor: the server's own cost of the operations every ADD and DEL needs, per point, and what its growth
    /// explains of the plugin's. ADD finds its port and its mirror by name and commits one membership change with its
    /// record; DEL finds its port by name and commits one; the floor rows change twice (insert, then delete), so half.
    /// </summary>
    private static void ServerFloorTable(StringBuilder md, SweepBench sweep)
    {
        if (sweep.Points.Count == 0 || sweep.Samples.Of(SweepBench.Name(sweep.Points[0].Point, ServerFloor.PortByName)).Count == 0)
        {
            return;
        }

        md.AppendLine("Server floor (ms, p50): the operations every ADD or DEL needs, sent by the harness itself on a fresh connection " +
                      "right after a process start (the hello), as between two CNI calls. ovsdb-server answers a select by name by " +
                      "visiting every row of the table, and rewrites a whole column (every member of the set, every record of the map) " +
                      "when one element changes, so this grows with the database for any client. *ADD floor* = growth over empty of " +
                      "Port by name + Mirror by name + half of the two mutate rows; *DEL floor* = Port by name + half of the mutate rows.").AppendLine();
        md.AppendLine("| point | Port by name | Mirror by name | select_src_port insert+delete | record insert+delete | ADD growth | ADD floor | DEL growth | DEL floor |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        double P50(SweepPoint p, string op) => sweep.Samples.StatsOf(SweepBench.Name(p, op)).P50;
        var first = sweep.Points[0].Point;
        foreach (var (p, _) in sweep.Points)
        {
            var addFloor = FloorGrowth(sweep, p, SweepBench.Add) ?? 0;
            var delFloor = FloorGrowth(sweep, p, SweepBench.Del) ?? 0;
            md.AppendLine(Inv, $"| {p.Label} | {Ms(P50(p, ServerFloor.PortByName))} | {Ms(P50(p, ServerFloor.MirrorByName))} | " +
                               $"{Ms(P50(p, ServerFloor.Membership))} | {Ms(P50(p, ServerFloor.Record))} | " +
                               $"{Signed(P50(p, SweepBench.Add) - P50(first, SweepBench.Add))} | {Signed(addFloor)} | " +
                               $"{Signed(P50(p, SweepBench.Del) - P50(first, SweepBench.Del))} | {Signed(delFloor)} |");
        }

        md.AppendLine();
    }

    /// <summary>Median ms from the timed twin's last mark (its exit) to being reaped by the harness; null when not measured.</summary>
    private static double? ExitTail(Samples samples, string contender)
    {
        var tails = samples.Of(contender + LatencyBench.Timed)
            .Select(x => (x.WallMs, Breakdown.Of([x]).Means.GetValueOrDefault("total", double.NaN)))
            .Where(x => !double.IsNaN(x.Item2))
            .Select(x => x.WallMs - x.Item2)
            .ToList();
        return tails.Count > 0 ? new Stats(tails).P50 : null;
    }

    /// <summary>Mean ms from `Main` to exit of the timed twin of <paramref name="contender"/> (§2); null when not timed.</summary>
    private static double? WorkAfterMain(Samples samples, string contender)
    {
        var b = Breakdown.Of(samples.Of(contender + LatencyBench.Timed));
        return b.Runs > 0 && b.Means.TryGetValue("total", out var total) && b.Means.TryGetValue("main", out var main) ? total - main : null;
    }

    /// <summary>The server floor's growth over the empty point for <paramref name="call"/> (see ServerFloorTable); null when not measured.</summary>
    private static double? FloorGrowth(SweepBench sweep, SweepPoint point, string call)
    {
        var first = sweep.Points[0].Point;
        if (sweep.Samples.Of(SweepBench.Name(point, ServerFloor.PortByName)).Count == 0)
        {
            return null;
        }

        double Grow(string op) => sweep.Samples.StatsOf(SweepBench.Name(point, op)).P50 - sweep.Samples.StatsOf(SweepBench.Name(first, op)).P50;
        var commit = (Grow(ServerFloor.Membership) + Grow(ServerFloor.Record)) / 2;
        return call == SweepBench.Add ? Grow(ServerFloor.PortByName) + Grow(ServerFloor.MirrorByName) + commit : Grow(ServerFloor.PortByName) + commit;
    }

    private static string Signed(double ms) => (ms >= 0 ? "+" : "−") + Ms(Math.Abs(ms));

    private static void Storm(StringBuilder md, Results r, Options o)
    {
        var storms = new[] { (r.StormPlain, "no revalidation (ovsdb-server only)"), (r.StormPurge, "+purge (ovsdb-server + ovs-vswitchd, internal ports)") }
            .Where(s => s.Item1 is { Rounds.Count: > 0 }).ToList();
        if (storms.Count == 0)
        {
            return;
        }

        md.AppendLine("## 4. Storm").AppendLine();
        md.AppendLine(Inv, $"{o.StormPods} ADD processes started at once (one thread spawning them back to back, as kubelet would), " +
                           $"then {o.StormPods} DELs; {o.StormRounds} round(s) per variant. Pods 0–4 are the outputs of storm-0…3 and storm-all, every other pod " +
                           $"is a producer of storm-(k mod 4) (src+dst) and of storm-all (src), two mirrors in one ADD. After the ADDs ovs-vsctl must show " +
                           $"exactly one row per mirror, every member, one record per attachment, and br1 listing them; after the DELs, no Mirror row.").AppendLine();
        md.AppendLine("| variant | rounds | ADD wave wall (median / max) | DEL wave wall (median / max) | ADD per call p50 / p99 / max | DEL per call p50 / p99 / max | failed calls | state after ADDs | state after DELs |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (storm, what) in storms)
        {
            var rounds = storm!.Rounds;
            var addWall = new Stats(rounds.Select(x => x.AddWallMs));
            var delWall = new Stats(rounds.Select(x => x.DelWallMs));
            var adds = new Stats(rounds.SelectMany(x => x.Adds).Select(c => c.WallMs));
            var dels = new Stats(rounds.SelectMany(x => x.Dels).Select(c => c.WallMs));
            var failed = rounds.Sum(x => x.AddFailures + x.DelFailures);
            md.AppendLine(Inv, $"| {what} | {rounds.Count} | {Ms(addWall.P50)} / {Ms(addWall.Max)} | {Ms(delWall.P50)} / {Ms(delWall.Max)} | " +
                               $"{Ms(adds.P50)} / {Ms(adds.P99)} / {Ms(adds.Max)} | {Ms(dels.P50)} / {Ms(dels.P99)} / {Ms(dels.Max)} | " +
                               $"{failed} | {Ok(rounds.Count(x => x.AfterAddProblems.Count == 0), rounds.Count)} | {Ok(rounds.Count(x => x.AfterDelProblems.Count == 0), rounds.Count)} |");
        }

        md.AppendLine();
        foreach (var (storm, what) in storms)
        {
            var problems = storm!.Rounds.SelectMany((x, i) => x.AfterAddProblems.Select(p => $"round {i + 1} after ADDs: {p}")
                .Concat(x.AfterDelProblems.Select(p => $"round {i + 1} after DELs: {p}"))).ToList();
            var failures = storm.Rounds.SelectMany(x => x.Adds.Concat(x.Dels)).Where(c => !c.Ok)
                .Select(c => c.Stdout.Trim()).GroupBy(s => s, StringComparer.Ordinal).ToList();
            foreach (var p in problems.Take(10))
            {
                md.AppendLine(Inv, $"- {what}: {p}");
            }

            foreach (var g in failures.Take(5))
            {
                md.AppendLine(Inv, $"- {what}: {g.Count()}× failed: `{g.Key}`");
            }
        }

        md.AppendLine();
    }

    private static string Ok(int ok, int of) => ok == of ? $"ok {ok}/{of}" : $"**wrong in {of - ok}/{of}**";

    private static void Memory(StringBuilder md, Results r)
    {
        md.AppendLine("## 5. Memory and size").AppendLine();
        if (r.Latency is { Memory.Count: > 0 } lat)
        {
            md.AppendLine("Each call run under `hack/bench/rss-probe.pl` (fork, exec, `wait4`): the child's max RSS; " +
                          "interleaved like §1, against the same sandbox (ovs-mirror ADD/DEL without and with purge). " +
                          "A child's max RSS includes the image it replaced at exec, so the probe is a small perl process: " +
                          "its floor (~2.5 MiB) is the `/bin/true` row.").AppendLine();
            md.AppendLine("| call | probes | max RSS (MiB) | median max RSS (MiB) |");
            md.AppendLine("|---|---|---|---|");
            foreach (var (name, p) in lat.Memory)
            {
                md.AppendLine(Inv, $"| {name} | {p.N} | {p.MaxRssKb / 1024.0:0.0} | {p.MedianRssKb / 1024.0:0.0} |");
            }

            md.AppendLine();
        }

        if (r.Sizes.Count > 0)
        {
            md.AppendLine("| binary | path | bytes | MiB |");
            md.AppendLine("|---|---|---|---|");
            foreach (var (name, path, bytes) in r.Sizes)
            {
                md.AppendLine(Inv, $"| {name} | `{path}` | {bytes} | {bytes / 1048576.0:0.00} |");
            }

            md.AppendLine();
        }
    }

    private static void MountTable(StringBuilder md, MountTableBench b, Options o)
    {
        md.AppendLine("## 6. A node's mount table (ms, p50)").AppendLine();
        md.AppendLine(Inv, $"{b.Samples.StatsOf(MountTableBench.Key(MountTableBench.Hello, false)).N} interleaved iterations " +
                           $"(+{o.Warmup} warm-up) in two mount namespaces: this host's table ({b.MountLines.Host} lines of /proc/self/mountinfo) " +
                           $"and a node's, with {b.ExtraMounts} more tmpfs mounts ({b.MountLines.Node} lines); a Kubernetes node has several " +
                           $"mounts per pod in the namespace where kubelet, containerd and the plugins run. A stock NativeAOT runtime reads the " +
                           $"whole table twice before `Main` (its cgroup lookups); ovs-mirror's does not (src/OvsMirror/Native/no-cgroup-scan.c). " +
                           $"Every call of both columns is started through nsenter(1), which adds the same to each; the sandbox is ovsdb-server " +
                           $"only, and each ADD joins a mirror that has a resident producer.").AppendLine();
        md.AppendLine(Inv, $"| contender | host ({b.MountLines.Host} mounts) | node ({b.MountLines.Node} mounts) | growth |");
        md.AppendLine("|---|---|---|---|");
        void Line(string name, Func<bool, Stats> of)
        {
            var (h, n) = (of(false).P50, of(true).P50);
            md.AppendLine(Inv, $"| {name} | {Ms(h)} | {Ms(n)} | {(n - h >= 0 ? "+" : "")}{Ms(n - h)} |");
        }

        Stats One(string c, bool node) => b.Samples.StatsOf(MountTableBench.Key(c, node));
        Stats Both(string a, string d, bool node) => Pair(b.Samples, MountTableBench.Key(a, node), MountTableBench.Key(d, node));
        Line(MountTableBench.Hello, node => One(MountTableBench.Hello, node));
        Line(MountTableBench.Add, node => One(MountTableBench.Add, node));
        Line(MountTableBench.Del, node => One(MountTableBench.Del, node));
        Line("ovs-mirror ADD + DEL pair", node => Both(MountTableBench.Add, MountTableBench.Del, node));
        if (b.HasOvsCni)
        {
            Line(MountTableBench.OvsCniAdd, node => One(MountTableBench.OvsCniAdd, node));
            Line(MountTableBench.OvsCniDel, node => One(MountTableBench.OvsCniDel, node));
            Line("ovs-cni ADD + DEL pair", node => Both(MountTableBench.OvsCniAdd, MountTableBench.OvsCniDel, node));
            md.AppendLine();
            var ratio = (bool node) => Both(MountTableBench.Add, MountTableBench.Del, node).P50 / Both(MountTableBench.OvsCniAdd, MountTableBench.OvsCniDel, node).P50;
            md.AppendLine(Inv, $"The ovs-mirror pair ÷ ovs-cni's: {ratio(false):0.00}× on this host's table, {ratio(true):0.00}× on the node's " +
                               $"(each including the two nsenter starts).");
        }

        md.AppendLine();
    }

    private static void Method(StringBuilder md)
    {
        md.AppendLine("## Method").AppendLine();
        md.AppendLine("- Every contender is a separate process started the same way: posix_spawnp(3) (glibc: clone(CLONE_VM|CLONE_VFORK), as Go's " +
                      "os/exec), signals at their defaults; stdin, stdout and stderr are pipes; stdin is written and closed; stdout and stderr " +
                      "are read to the end in one poll(2) loop; the child is reaped with waitpid(2) (hack/bench/Bench/Spawn.cs). The harness " +
                      "overhead is in every number alike: `/bin/true` shows it. (Until issue 14's second round the harness used .NET's " +
                      "Process class, whose own machinery added about 0.3 ms to every call: `/bin/true` 1.37 against 1.08 ms p50 in back-to-back " +
                      "runs of 100.)");
        md.AppendLine("- Percentiles interpolate between closest ranks. Nothing is discarded except the warm-up iterations.");
        md.AppendLine("- The sandboxes are hermetic (hack/lib/ovs-testenv.sh): private ovsdb-server, ovs-vswitchd in its own network namespace, " +
                      "stopped by PID. ovs-vsctl always gets `--no-wait`, so it never waits for ovs-vswitchd.");
        md.AppendLine("- Numbers from a loaded machine are noisy: compare contenders within one run, not across runs.");
    }

    private static string Ms(double v) => Stats.Ms(v);

    private static string Pct(double ratio) => double.IsNaN(ratio) ? "—" : (ratio >= 1 ? "+" : "") + ((ratio - 1) * 100).ToString("0", Inv) + "%";
}
