namespace OvsMirror.Bench;

/// <summary>
/// §1 per-call latency and §2 the startup breakdown, in one sandbox with ovs-vswitchd (a node as it is):
/// /bin/true, the bare NativeAOT hello, ovs-vsctl --no-wait adding/removing a port in a mirror's
/// select_src_port, and ovs-mirror ADD/CHECK/DEL of a producer and a consumer, without flow revalidation
/// and with revalidator/purge. Each ovs-mirror group runs twice per iteration on its own mirror and ports:
/// once plain (the latency table) and once with OVS_MIRROR_TIMING (the breakdown), so the timing line
/// never touches the latency numbers and both see the same noise.
/// </summary>
internal sealed class LatencyBench(Tools tools, Plugin plugin, Random rng)
{
    public const string True = "/bin/true";
    public const string Hello = "hello (bare NativeAOT)";
    public const string VsctlAdd = "ovs-vsctl --no-wait: add to select_src_port";
    public const string VsctlRemove = "ovs-vsctl --no-wait: remove from select_src_port";
    public const string OvsCniAdd = "ovs-cni ovs-mirror-producer ADD";
    public const string OvsCniDel = "ovs-cni ovs-mirror-producer DEL";
    public const string Timed = " [timed]";

    /// <summary>The plugin's own image doing no OVSDB work: its start-up and exit, against which ADD and DEL are judged.</summary>
    public const string Version = "VERSION (ovs-mirror's image, no OVSDB work)";

    /// <summary>What libcni sends with VERSION (CNI SPEC §VERSION: a config holding only cniVersion).</summary>
    private const string VersionConfig = "{\"cniVersion\":\"1.0.0\"}";
    public const string Purge = " +purge";

    /// <summary>The ovs-mirror contenders, in table order.</summary>
    public static readonly string[] PluginContenders =
    [
        "producer ADD", "producer CHECK", "producer DEL", "consumer ADD", "consumer CHECK", "consumer DEL",
        "producer ADD" + Purge, "producer DEL" + Purge, "consumer ADD" + Purge, "consumer DEL" + Purge,
    ];

    public Samples Samples { get; } = new();

    public Dictionary<string, ProbeSummary> Memory { get; } = new(StringComparer.Ordinal);

    public void Run(int warmup, int runs, int memoryProbes)
    {
        using var sandbox = Sandbox.Up(tools, vswitchd: true);
        Log.Info($"latency: sandbox {sandbox.Dir} (ovsdb-server + ovs-vswitchd, netdev)");

        // mirrors: A (no revalidation), B (+purge); C and D are their timed twins. Each has a resident
        // producer, so the measured calls join and leave an existing mirror; ports are internal (tap) ports.
        string[] ports = ["rA", "rB", "rC", "rD", "pA", "cA", "pB", "cB", "pC", "cC", "pD", "cD", "v1", "rO", "pO"];
        var args = new List<string>();
        foreach (var p in ports)
        {
            args.AddRange(["--", "add-port", "br1", p, "--", "set", "interface", p, "type=internal"]);
        }

        Proc.RunChecked(sandbox.Vsctl(tools, wait: true, [.. args]));
        foreach (var m in "ABCD")
        {
            var cfg = Plugin.Config(sandbox, "br1", $"r{m}", null, MirrorSpec.Producer($"m{m}", "src_port"));
            Proc.RunChecked(plugin.Call("ADD", $"resident-{m}", cfg));
        }

        var ctl = sandbox.VswitchdCtl;
        var groups = new List<IReadOnlyList<Step>>
        {
            new[] { new Step(True, () => Proc.Run(Command.Of(tools.True))) },
            new[] { new Step(Hello, () => Proc.Run(Command.Of(tools.Hello))) },
            new[] { new Step(Hello + Timed, () => Proc.Run(Command.Of(tools.Hello), timing: true)) },
            new[] { new Step(Version, () => Proc.Run(plugin.Call("VERSION", "bench-version", VersionConfig))) },
            new[] { new Step(Version + Timed, () => Proc.Run(plugin.Call("VERSION", "bench-version", VersionConfig), timing: true)) },
            new[]
            {
                new Step(VsctlAdd, () => Proc.Run(sandbox.Vsctl(tools, false, "--", "--id=@p", "get", "port", "v1", "--", "add", "mirror", "mA", "select_src_port", "@p"))),
                new Step(VsctlRemove, () => Proc.Run(sandbox.Vsctl(tools, false, "--", "--id=@p", "get", "port", "v1", "--", "remove", "mirror", "mA", "select_src_port", "@p"))),
            },
        };
        foreach (var timed in new[] { false, true })
        {
            var suffix = timed ? Timed : "";
            var (plain, purged) = timed ? ("C", "D") : ("A", "B");
            groups.Add(PluginGroup(sandbox, $"p{plain}", $"m{plain}", consumer: false, null, check: true, timed, "producer", suffix));
            groups.Add(PluginGroup(sandbox, $"c{plain}", $"m{plain}", consumer: true, null, check: true, timed, "consumer", suffix));
            groups.Add(PluginGroup(sandbox, $"p{purged}", $"m{purged}", consumer: false, ctl, check: false, timed, "producer", Purge + suffix));
            groups.Add(PluginGroup(sandbox, $"c{purged}", $"m{purged}", consumer: true, ctl, check: false, timed, "consumer", Purge + suffix));
        }

        // the peer: ovs-cni's producer on its own mirror mO (resident rO), the same membership change as ours
        var ovsCniResident = tools.OvsCni is null ? null : Plugin.OvsCniConfig(sandbox, "br1", "rO", "mO");
        if (ovsCniResident is not null)
        {
            Proc.RunChecked(plugin.OvsCniCall("ADD", "resident-O", ovsCniResident));
            var measured = Plugin.OvsCniConfig(sandbox, "br1", "pO", "mO");
            groups.Add(
            [
                new Step(OvsCniAdd, () => Proc.Run(plugin.OvsCniCall("ADD", "bench-pO", measured))),
                new Step(OvsCniDel, () => Proc.Run(plugin.OvsCniCall("DEL", "bench-pO", measured))),
            ]);
        }

        Log.Info($"latency: {runs} interleaved iterations of {groups.Sum(g => g.Count)} calls (+{warmup} warm-up)");
        try
        {
            Schedule.Run("latency", groups, warmup, runs, Samples, rng);
        }
        finally
        {
            // ovs-cni keeps a cache file per attachment in /var/lib/cni/ovs-cni/cache: its DEL removes it
            if (ovsCniResident is not null)
            {
                Proc.Run(plugin.OvsCniCall("DEL", "bench-pO", Plugin.OvsCniConfig(sandbox, "br1", "pO", "mO")));
                Proc.Run(plugin.OvsCniCall("DEL", "resident-O", ovsCniResident));
            }
        }

        if (memoryProbes > 0)
        {
            ProbeMemory(sandbox, ctl, memoryProbes, tools.RssProbe);
        }
    }

    private List<Step> PluginGroup(Sandbox sandbox, string port, string mirror, bool consumer, string? ctl, bool check,
        bool timed, string role, string suffix)
    {
        var spec = consumer ? MirrorSpec.Output(mirror) : MirrorSpec.Producer(mirror, "src_port");
        var config = Plugin.Config(sandbox, "br1", port, ctl, spec);
        var id = $"bench-{port}";
        var steps = new List<Step> { new($"{role} ADD{suffix}", () => Proc.Run(plugin.Call("ADD", id, config), timed)) };
        if (check)
        {
            steps.Add(new($"{role} CHECK{suffix}", () => Proc.Run(plugin.Call("CHECK", id, config), timed)));
        }

        steps.Add(new($"{role} DEL{suffix}", () => Proc.Run(plugin.Call("DEL", id, config), timed)));
        return steps;
    }

    /// <summary>§5: max RSS of single calls, each run by hack/bench/rss-probe.pl (wait4 of its only child).</summary>
    private void ProbeMemory(Sandbox sandbox, string ctl, int probes, string probeScript)
    {
        var plainCfg = Plugin.Config(sandbox, "br1", "pA", null, MirrorSpec.Producer("mA", "src_port"));
        var purgeCfg = Plugin.Config(sandbox, "br1", "pB", ctl, MirrorSpec.Producer("mB", "src_port"));
        var consCfg = Plugin.Config(sandbox, "br1", "cA", null, MirrorSpec.Output("mA"));
        var groups = new List<IReadOnlyList<(string Name, Command Cmd)>>
        {
            new[] { (True, Command.Of(tools.True)) },
            new[] { (Hello, Command.Of(tools.Hello)) },
            new[]
            {
                (VsctlAdd, sandbox.Vsctl(tools, false, "--", "--id=@p", "get", "port", "v1", "--", "add", "mirror", "mA", "select_src_port", "@p")),
                (VsctlRemove, sandbox.Vsctl(tools, false, "--", "--id=@p", "get", "port", "v1", "--", "remove", "mirror", "mA", "select_src_port", "@p")),
            },
            new[] { ("producer ADD", plugin.Call("ADD", "probe-pA", plainCfg)), ("producer DEL", plugin.Call("DEL", "probe-pA", plainCfg)) },
            new[] { ("consumer ADD", plugin.Call("ADD", "probe-cA", consCfg)), ("consumer DEL", plugin.Call("DEL", "probe-cA", consCfg)) },
            new[] { ("producer ADD" + Purge, plugin.Call("ADD", "probe-pB", purgeCfg)), ("producer DEL" + Purge, plugin.Call("DEL", "probe-pB", purgeCfg)) },
        };
        var stepGroups = groups.Select(g => (IReadOnlyList<Step>)[.. g.Select(s => new Step(s.Name, () => RssProbe.Run(probeScript, s.Cmd)))]).ToList();
        var samples = new Samples();
        Log.Info($"memory: {probes} probes of each call under rss-probe.pl (wait4)");
        Schedule.Run("memory", stepGroups, 0, probes, samples, rng);
        foreach (var name in groups.SelectMany(g => g).Select(s => s.Name))
        {
            Memory[name] = ProbeSummary.Of(samples.Of(name));
        }
    }
}
