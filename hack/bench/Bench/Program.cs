using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using OvsMirror.Bench;

[assembly: SupportedOSPlatform("linux")]

// hack/bench/run builds this and runs it; see Options.Usage.
Options options;
try
{
    options = Options.Parse(args);
}
catch (BenchException e)
{
    Console.Error.WriteLine("bench: " + e.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

var repo = options.Repo;
if (!File.Exists(options.OvsMirror))
{
    Console.Error.WriteLine($"bench: {options.OvsMirror} is missing (run ./hack/build.sh first)");
    return 2;
}

// Measure a private copy: a concurrent ./hack/build.sh replaces artifacts/bin/ovs-mirror (rm, then cp),
// and every number of one run must come from one binary.
var binDir = Directory.CreateTempSubdirectory("omb-bin.");
var underTest = Path.Combine(binDir.FullName, "ovs-mirror");
File.Copy(options.OvsMirror, underTest);
File.SetUnixFileMode(underTest, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
var binarySha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(underTest)))[..12];
try
{
    return Run(options, repo, underTest, binarySha);
}
finally
{
    binDir.Delete(recursive: true);
}

static int Run(Options options, string repo, string underTest, string binarySha)
{
    var tools = new Tools(
        OvsMirror: underTest,
        Hello: options.Hello,
        True: File.Exists("/bin/true") ? "/bin/true" : Tools.Which("true"),
        OvsVsctl: Tools.Which("ovs-vsctl"),
        OvsAppctl: Tools.Which("ovs-appctl"),
        SandboxScript: Path.Combine(repo, "hack", "bench", "sandbox.sh"),
        RssProbe: Path.Combine(repo, "hack", "bench", "rss-probe.pl"),
        OvsCni: options.OvsCni);
    foreach (var f in new[] { tools.Hello, tools.SandboxScript, tools.RssProbe })
    {
        if (!File.Exists(f))
        {
            Console.Error.WriteLine($"bench: {f} is missing");
            return 2;
        }
    }

    var clock = Stopwatch.StartNew();
    var results = new Results
    {
        Options = options,
        Machine = Machine.Describe(tools),
        Commit = Git(repo),
        Binary = $"{Rel(repo, options.OvsMirror)} (sha256 {binarySha}…, built {File.GetLastWriteTimeUtc(options.OvsMirror):yyyy-MM-dd HH:mm} UTC; a copy of it was measured)",
        StartedUtc = DateTime.UtcNow,
    };
    Log.Info($"{(options.Smoke ? "SMOKE " : "")}run: {options.Runs} latency runs, {options.SweepRuns} sweep runs, storm {options.StormPods} pods × {options.StormRounds} rounds; " +
             $"{results.Machine.Cpus} CPUs, load {results.Machine.LoadAverage}; seed {options.Seed}");
    results.Sizes.Add(("ovs-mirror", Rel(repo, options.OvsMirror), new FileInfo(tools.OvsMirror).Length));
    results.Sizes.Add(("bare NativeAOT hello", Rel(repo, tools.Hello), new FileInfo(tools.Hello).Length));
    results.Sizes.Add(("ovs-vsctl (dynamically linked: + libopenvswitch)", tools.OvsVsctl, new FileInfo(tools.OvsVsctl).Length));
    if (tools.OvsCni is not null)
    {
        results.Sizes.Add(("ovs-cni ovs-mirror-producer (static Go)", Rel(repo, tools.OvsCni), new FileInfo(tools.OvsCni).Length));
    }
    else
    {
        Log.Info("the ovs-cni contender is skipped: " + options.OvsCniSkipped);
    }

    var rng = new Random(options.Seed);
    var plugin = new Plugin(tools);
    void Section(string name, Action action)
    {
        if (!options.Sections.Contains(name))
        {
            return;
        }

        try
        {
            action();
        }
        catch (Exception e) when (e is BenchException or IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // record it and go on: the report says which section is incomplete, the exit status is 1
            results.Errors.Add($"{name}: {e.Message}");
            Log.Info($"ERROR in {name}: {e}");
        }
    }

    Section("latency", () =>
    {
        results.Latency = new LatencyBench(tools, plugin, rng);
        results.Latency.Run(options.Warmup, options.Runs, options.MemoryProbes);
    });
    Section("sweep", () =>
    {
        results.Sweep = new SweepBench(tools, plugin, rng);
        results.Sweep.Run(options.SweepPoints, options.Warmup, options.SweepRuns, options.SetupParallelism);
    });
    Section("storm", () =>
    {
        results.StormPlain = new StormBench(tools, plugin);
        results.StormPlain.Run(options.StormPods, options.StormRounds, purge: false);
        results.StormPurge = new StormBench(tools, plugin);
        results.StormPurge.Run(options.StormPods, options.StormRounds, purge: true);
    });
    Section("mounts", () =>
    {
        results.MountTable = new MountTableBench(tools, plugin, rng);
        results.MountTable.Run(options.ExtraMounts, options.Warmup, options.MountRuns);
    });

    results.LoadAtEnd = Machine.LoadAverageNow();
    results.Duration = clock.Elapsed;
    Directory.CreateDirectory(options.Out);
    var md = Path.Combine(options.Out, "results.md");
    var svg = Path.Combine(options.Out, "latency-vs-db-size.svg");
    File.WriteAllText(md, Report.Markdown(results));
    File.WriteAllText(svg, Svg.LatencyVsDbSize(results));
    Log.Info($"wrote {md} and {svg} in {clock.Elapsed.TotalSeconds:0} s");
    return results.Errors.Count == 0 ? 0 : 1;
}

static string Git(string repo)
{
    var head = Proc.Run(new Command("git", ["-C", repo, "rev-parse", "--short", "HEAD"], Command.NoEnv, ""));
    if (!head.Ok)
    {
        return "unknown";
    }

    var dirty = Proc.Run(new Command("git", ["-C", repo, "status", "--porcelain", "--untracked-files=no"], Command.NoEnv, ""));
    return head.Stdout.Trim() + (dirty.Ok && dirty.Stdout.Trim().Length > 0 ? "+dirty" : "");
}

static string Rel(string repo, string path) => Path.GetRelativePath(repo, path) is var rel && !rel.StartsWith("..", StringComparison.Ordinal) ? rel : path;

namespace OvsMirror.Bench
{
    /// <summary>Command-line options; --smoke picks tiny sizes.</summary>
    internal sealed class Options
    {
        public const string Usage = """
            usage: Bench --repo DIR --ovs-mirror PATH --hello PATH [--ovs-cni PATH | --ovs-cni-skipped WHY] [--out DIR] [--smoke] [--runs N] [--sweep-runs N]
                         [--storm-pods N] [--storm-rounds N] [--memory-probes N] [--warmup N] [--seed N]
                         [--mount-runs N] [--extra-mounts N] [--only latency,sweep,storm,mounts]
            """;

        public string Repo { get; private set; } = "";

        public string OvsMirror { get; private set; } = "";

        public string Hello { get; private set; } = "";

        public string Out { get; private set; } = "";

        /// <summary>ovs-cni's ovs-mirror-producer (hack/bench/ovs-cni.sh), or null: then <see cref="OvsCniSkipped"/> says why.</summary>
        public string? OvsCni { get; private set; }

        public string OvsCniSkipped { get; private set; } = "no --ovs-cni given";

        public bool Smoke { get; private set; }

        public int Runs { get; private set; }

        public int SweepRuns { get; private set; }

        public int StormPods { get; private set; }

        public int StormRounds { get; private set; }

        public int MemoryProbes { get; private set; }

        public int Warmup { get; private set; }

        /// <summary>§6: iterations, and how many more mounts than this host's the node's table has.</summary>
        public int MountRuns { get; private set; }

        public int ExtraMounts { get; private set; }

        public int Seed { get; private set; }

        public int SetupParallelism { get; private set; } = Math.Max(2, 2 * Environment.ProcessorCount);

        public HashSet<string> Sections { get; private set; } = new(["latency", "sweep", "storm", "mounts"], StringComparer.Ordinal);

        public IReadOnlyList<SweepPoint> SweepPoints { get; private set; } = [];

        /// <summary>The arguments as given to hack/bench/run (for the report).</summary>
        public IReadOnlyList<string> CommandLine { get; private set; } = [];

        public static Options Parse(string[] args)
        {
            var o = new Options();
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--smoke":
                        o.Smoke = true;
                        break;
                    case "--repo" or "--ovs-mirror" or "--hello" or "--out" or "--runs" or "--sweep-runs" or "--storm-pods"
                        or "--storm-rounds" or "--memory-probes" or "--warmup" or "--seed" or "--only" or "--as-given"
                        or "--ovs-cni" or "--ovs-cni-skipped" or "--mount-runs" or "--extra-mounts":
                        if (i + 1 >= args.Length)
                        {
                            throw new BenchException($"{args[i]} needs a value");
                        }

                        values[args[i]] = args[++i];
                        break;
                    default:
                        throw new BenchException($"unknown argument '{args[i]}'");
                }
            }

            string Get(string key) => values.TryGetValue(key, out var v) ? v : throw new BenchException($"{key} is required");
            int Int(string key, int fallback, int min)
            {
                if (!values.TryGetValue(key, out var v))
                {
                    return fallback;
                }

                return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
                    ? n
                    : throw new BenchException($"{key} must be an integer ≥ {min}");
            }

            o.Repo = Path.GetFullPath(Get("--repo"));
            o.OvsMirror = Path.GetFullPath(Get("--ovs-mirror"));
            o.Hello = Path.GetFullPath(Get("--hello"));
            o.OvsCni = values.TryGetValue("--ovs-cni", out var ovsCni) && ovsCni.Length > 0 ? Path.GetFullPath(ovsCni) : null;
            o.OvsCniSkipped = values.GetValueOrDefault("--ovs-cni-skipped") ?? o.OvsCniSkipped;
            o.Out = Path.GetFullPath(values.GetValueOrDefault("--out") ?? Path.Combine(o.Repo, "artifacts", "bench", o.Smoke ? "smoke" : ""));
            o.Runs = Int("--runs", o.Smoke ? 5 : 200, 1);
            o.SweepRuns = Int("--sweep-runs", o.Smoke ? 5 : o.Runs, 1);
            o.StormPods = Int("--storm-pods", o.Smoke ? 20 : 100, 6);
            o.StormRounds = Int("--storm-rounds", o.Smoke ? 1 : 5, 1);
            o.MemoryProbes = Int("--memory-probes", o.Smoke ? 1 : 10, 0);
            o.Warmup = Int("--warmup", o.Smoke ? 1 : 3, 0);
            o.MountRuns = Int("--mount-runs", o.Smoke ? 3 : 100, 1);
            o.ExtraMounts = Int("--extra-mounts", o.Smoke ? 20 : 500, 1);
            o.Seed = Int("--seed", Environment.TickCount & 0x7fffffff, 0);
            if (values.TryGetValue("--only", out var only))
            {
                o.Sections = new HashSet<string>(only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
                if (o.Sections.Except(["latency", "sweep", "storm", "mounts"]).FirstOrDefault() is { } bad)
                {
                    throw new BenchException($"--only: unknown section '{bad}'");
                }
            }

            o.SweepPoints = o.Smoke
                ?
                [
                    new(0, 0, 0), new(20, 0, 0), new(0, 31, 0), new(0, 0, 2), new(20, 31, 2),
                ]
                :
                [
                    new(0, 0, 0), new(100, 0, 0), new(1000, 0, 0), new(0, 16, 0), new(0, 31, 0), new(0, 0, 20), new(1000, 31, 20),
                ];
            o.CommandLine = values.TryGetValue("--as-given", out var given) ? given.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [.. args];
            return o;
        }
    }
}
