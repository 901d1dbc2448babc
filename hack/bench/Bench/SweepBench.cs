using System.Collections.Concurrent;

namespace OvsMirror.Bench;

/// <summary>One database shape of the scale sweep.</summary>
/// <param name="Members">producer ports already on the measured mirror (besides its resident consumer)</param>
/// <param name="OtherMirrors">other mirrors on the same bridge (31 + the measured one = OVS's 32)</param>
/// <param name="OtherBridges">other bridges, each with 32 mirrors that reuse the measured mirror's names</param>
internal sealed record SweepPoint(int Members, int OtherMirrors, int OtherBridges)
{
    public string Label => (Members, OtherMirrors, OtherBridges) switch
    {
        (0, 0, 0) => "empty",
        (_, 0, 0) => $"{Members} members",
        (0, _, 0) => $"{OtherMirrors} other mirrors",
        (0, 0, _) => $"{OtherBridges} bridges × 32 mirrors",
        _ => $"{Members} members + {OtherMirrors} + {OtherBridges}×32 mirrors",
    };

    public int TotalMirrors => 1 + OtherMirrors + (OtherBridges * 32);
}

/// <summary>What one sweep database holds, counted with ovs-vsctl after it was built.</summary>
internal sealed record DbShape(int Bridges, int Ports, int Interfaces, int Mirrors, int MeasuredMirrorMembers, long DbFileBytes, double BuildSeconds)
{
    public int Rows => Bridges + Ports + Interfaces + Mirrors;
}

/// <summary>
/// §3: ADD and DEL of a producer (and, for contrast, the same membership change by ovs-vsctl) as the
/// database grows. Every sweep point has its own ovsdb-server (no ovs-vswitchd: no datapath for 1,000 ports,
/// flowRevalidation none), built by the plugin itself: members and mirrors are real attachments with their
/// records. The points are measured side by side: each iteration runs every point's calls in random order.
/// </summary>
internal sealed class SweepBench(Tools tools, Plugin plugin, Random rng)
{
    private static readonly string[] FixedPorts = ["c0", "pm", "pt", "pv", "pf", "o0"];

    public const string Add = "ADD";
    public const string Del = "DEL";
    public const string VsctlAdd = "ovs-vsctl add";
    public const string VsctlRemove = "ovs-vsctl remove";
    public const string Timed = " [timed]";

    public List<(SweepPoint Point, DbShape Shape)> Points { get; } = [];

    public Samples Samples { get; } = new();

    /// <summary>The points whose ADD and DEL also run timed (the first and the largest), for a breakdown.</summary>
    public List<SweepPoint> TimedPoints { get; } = [];

    public static string Name(SweepPoint p, string call) => $"{p.Label}: {call}";

    public void Run(IReadOnlyList<SweepPoint> points, int warmup, int runs, int parallelism)
    {
        var sandboxes = new List<Sandbox>();
        try
        {
            var groups = new List<IReadOnlyList<Step>>();
            var largest = points.MaxBy(p => (p.Members + 1) * p.TotalMirrors);
            foreach (var point in points)
            {
                var sandbox = Sandbox.Up(tools, vswitchd: false);
                sandboxes.Add(sandbox);
                var (shape, bm) = Build(sandbox, point, parallelism);
                Points.Add((point, shape));
                Log.Info($"sweep: {point.Label}: {shape.Rows} rows ({shape.Mirrors} mirrors, {shape.Ports} ports), built in {shape.BuildSeconds:0.0} s");

                var config = Plugin.Config(sandbox, "br1", "pm", null, MirrorSpec.Producer("bm", "src_port"));
                groups.Add(
                [
                    new Step(Name(point, Add), () => Proc.Run(plugin.Call("ADD", "bench-pm", config))),
                    new Step(Name(point, Del), () => Proc.Run(plugin.Call("DEL", "bench-pm", config))),
                ]);
                groups.Add(
                [
                    new Step(Name(point, VsctlAdd), () => Proc.Run(sandbox.Vsctl(tools, false, "--", "--id=@p", "get", "port", "pv", "--", "add", "mirror", bm, "select_src_port", "@p"))),
                    new Step(Name(point, VsctlRemove), () => Proc.Run(sandbox.Vsctl(tools, false, "--", "--id=@p", "get", "port", "pv", "--", "remove", "mirror", bm, "select_src_port", "@p"))),
                ]);
                // What the server alone needs for the operations of an ADD or DEL, at this point (ServerFloor).
                foreach (var step in ServerFloor.Steps(tools, sandbox, call => Name(point, call), bm, "pf"))
                {
                    groups.Add([step]);
                }

                if (point == points[0] || point == largest)
                {
                    TimedPoints.Add(point);
                    var timedConfig = Plugin.Config(sandbox, "br1", "pt", null, MirrorSpec.Producer("bm", "src_port"));
                    groups.Add(
                    [
                        new Step(Name(point, Add + Timed), () => Proc.Run(plugin.Call("ADD", "bench-pt", timedConfig), timing: true)),
                        new Step(Name(point, Del + Timed), () => Proc.Run(plugin.Call("DEL", "bench-pt", timedConfig), timing: true)),
                    ]);
                }
            }

            Log.Info($"sweep: {runs} interleaved iterations over {points.Count} databases (+{warmup} warm-up)");
            Schedule.Run("sweep", groups, warmup, runs, Samples, rng);
        }
        finally
        {
            foreach (var s in sandboxes)
            {
                s.Dispose();
            }
        }
    }

    /// <summary>Builds the database; returns its shape and the _uuid of br1's mirror "bm" (other bridges have one
    /// of that name too, so ovs-vsctl must be given the row's _uuid).</summary>
    private (DbShape Shape, string MeasuredMirror) Build(Sandbox sb, SweepPoint point, int parallelism)
    {
        var started = DateTime.UtcNow;
        // ports and bridges: one ovs-vsctl transaction
        var args = new List<string> { "--", "add-br", "br1", "--", "set", "bridge", "br1", "datapath_type=netdev" };
        foreach (var p in FixedPorts.Concat(Enumerable.Range(1, point.Members).Select(i => $"p{i}")))
        {
            args.AddRange(["--", "add-port", "br1", p]);
        }

        for (var b = 1; b <= point.OtherBridges; b++)
        {
            args.AddRange(["--", "add-br", $"bx{b}", "--", "set", "bridge", $"bx{b}", "datapath_type=netdev", "--", "add-port", $"bx{b}", $"xp{b}"]);
        }

        sb.VsctlChecked(tools, [.. args]);

        // the measured mirror "bm" always exists: a resident consumer is its output
        Attach(Plugin.Config(sb, "br1", "c0", null, MirrorSpec.Output("bm")), "resident-c0");
        if (point.OtherMirrors > 0)
        {
            Attach(Plugin.Config(sb, "br1", "o0", null, [.. Enumerable.Range(1, point.OtherMirrors).Select(i => MirrorSpec.Producer($"other-{i}", "src_port"))]), "resident-o0");
        }

        // other bridges reuse the same mirror names, so every lookup by name also finds their rows
        var onOtherBridges = new[] { MirrorSpec.Producer("bm", "src_port") }
            .Concat(Enumerable.Range(1, 31).Select(i => MirrorSpec.Producer($"other-{i}", "src_port"))).ToArray();
        var calls = new List<(string Config, string Id)>();
        for (var b = 1; b <= point.OtherBridges; b++)
        {
            calls.Add((Plugin.Config(sb, $"bx{b}", $"xp{b}", null, onOtherBridges), $"resident-x{b}"));
        }

        var member = MirrorSpec.Producer("bm", "src_port");
        for (var i = 1; i <= point.Members; i++)
        {
            calls.Add((Plugin.Config(sb, "br1", $"p{i}", null, member), $"member-{i}"));
        }

        AttachAll(calls, parallelism);

        var (bm, members) = MeasuredMirror(sb);
        if (members != point.Members)
        {
            throw new BenchException($"sweep {point.Label}: mirror bm on br1 has {members} producer members, expected {point.Members}");
        }

        var mirrors = sb.Count(tools, "Mirror");
        Proc.RunChecked(Command.Of(tools.OvsAppctl, "-t", Path.Combine(sb.Dir, "ovsdb-server.ctl"), "ovsdb-server/compact"));
        var dbFile = new FileInfo(Path.Combine(sb.Dir, "conf.db"));
        return (new DbShape(sb.Count(tools, "Bridge"), sb.Count(tools, "Port"), sb.Count(tools, "Interface"), mirrors, members,
            dbFile.Exists ? dbFile.Length : 0, (DateTime.UtcNow - started).TotalSeconds), bm);
    }

    private (string Uuid, int Members) MeasuredMirror(Sandbox sb)
    {
        var br1Mirrors = OvsJson.Uuids(sb.List(tools, "Bridge", "name", "mirrors").Single(r => r["name"].GetString() == "br1")["mirrors"]);
        var bm = sb.List(tools, "Mirror", "_uuid", "name", "select_src_port")
            .Where(r => r["name"].GetString() == "bm" && br1Mirrors.Overlaps(OvsJson.Uuids(r["_uuid"])))
            .ToList();
        return bm.Count == 1 ? (OvsJson.Uuids(bm[0]["_uuid"]).Single(), OvsJson.Uuids(bm[0]["select_src_port"]).Count) : throw new BenchException($"br1 has {bm.Count} mirrors named bm");
    }

    private void Attach(string config, string id) => Proc.RunChecked(plugin.Call("ADD", id, config));

    /// <summary>Runs the setup ADDs with a few workers; the plugin's retries make concurrent ADDs safe.</summary>
    private void AttachAll(IReadOnlyList<(string Config, string Id)> calls, int parallelism)
    {
        var queue = new ConcurrentQueue<(string Config, string Id)>(calls);
        var errors = new ConcurrentBag<string>();
        var workers = Enumerable.Range(0, Math.Max(1, parallelism)).Select(_ => new Thread(() =>
        {
            while (errors.IsEmpty && queue.TryDequeue(out var call))
            {
                var r = Proc.Run(plugin.Call("ADD", call.Id, call.Config));
                if (!r.Ok)
                {
                    errors.Add($"setup ADD {call.Id}: {r.Describe()}");
                }
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        if (!errors.IsEmpty)
        {
            throw new BenchException(errors.First());
        }
    }
}
