using System.Globalization;

namespace OvsMirror.Bench;

/// <summary>
/// §6: the same calls on this host's mount table and on a node's. A Kubernetes node has several mounts per pod in the
/// host's mount namespace (rootfs overlays, shm, projected volumes, netns binds), where kubelet, containerd and the
/// plugins run; a stock NativeAOT runtime reads all of /proc/self/mountinfo twice before Main (its cgroup lookups),
/// ovs-mirror's does not (src/OvsMirror/Native/no-cgroup-scan.c). Two persistent mount namespaces (hack/bench/sandbox.sh
/// up-mountns): one with no extra mounts, one with <c>extraMounts</c> tmpfs mounts; every call of both is started
/// through nsenter(1), which adds the same to each.
/// </summary>
internal sealed class MountTableBench(Tools tools, Plugin plugin, Random rng)
{
    public const string Hello = "hello (bare NativeAOT)";
    public const string Add = "ovs-mirror producer ADD";
    public const string Del = "ovs-mirror producer DEL";
    public const string OvsCniAdd = "ovs-cni ovs-mirror-producer ADD";
    public const string OvsCniDel = "ovs-cni ovs-mirror-producer DEL";

    public Samples Samples { get; } = new();

    public int ExtraMounts { get; private set; }

    /// <summary>Lines of /proc/self/mountinfo in the two namespaces, as a process there sees it.</summary>
    public (int Host, int Node) MountLines { get; private set; }

    public bool HasOvsCni => tools.OvsCni is not null;

    public static string Key(string contender, bool node) => contender + (node ? " [node]" : " [host]");

    public void Run(int extraMounts, int warmup, int runs)
    {
        ExtraMounts = extraMounts;
        var nsenter = Tools.Which("nsenter");
        using var sandbox = Sandbox.Up(tools, vswitchd: false);
        using var host = MountNamespace.Up(tools, 0);
        using var node = MountNamespace.Up(tools, extraMounts);
        Log.Info($"mounts: sandbox {sandbox.Dir}; namespaces {host.Dir} (+0) and {node.Dir} (+{extraMounts})");
        MountLines = (host.CountLines(nsenter), node.CountLines(nsenter));

        string[] ports = ["rM", "hM", "nM", "rO", "hO", "nO"];
        var args = new List<string> { "--", "add-br", "br1" };
        foreach (var p in ports)
        {
            args.AddRange(["--", "add-port", "br1", p, "--", "set", "interface", p, "type=internal"]);
        }

        Proc.RunChecked(sandbox.Vsctl(tools, wait: false, [.. args]));
        Proc.RunChecked(plugin.Call("ADD", "resident-M", Plugin.Config(sandbox, "br1", "rM", null, MirrorSpec.Producer("mM", "src_port"))));
        var ovsCniResident = tools.OvsCni is null ? null : Plugin.OvsCniConfig(sandbox, "br1", "rO", "mO");
        if (ovsCniResident is not null)
        {
            Proc.RunChecked(plugin.OvsCniCall("ADD", "resident-O", ovsCniResident));
        }

        var groups = new List<IReadOnlyList<Step>>();
        var peers = new List<(string Id, string Config)>();
        foreach (var (ns, isNode) in new[] { (host, false), (node, true) })
        {
            var tag = isNode ? "n" : "h";
            Command In(Command c) => c with { File = nsenter, Args = ["--mount=" + ns.File, "--", c.File, .. c.Args] };
            groups.Add([new Step(Key(Hello, isNode), () => Proc.Run(In(Command.Of(tools.Hello))))]);
            var config = Plugin.Config(sandbox, "br1", tag + "M", null, MirrorSpec.Producer("mM", "src_port"));
            groups.Add(
            [
                new Step(Key(Add, isNode), () => Proc.Run(In(plugin.Call("ADD", "bench-" + tag + "M", config)))),
                new Step(Key(Del, isNode), () => Proc.Run(In(plugin.Call("DEL", "bench-" + tag + "M", config)))),
            ]);
            if (tools.OvsCni is not null)
            {
                var peer = Plugin.OvsCniConfig(sandbox, "br1", tag + "O", "mO");
                peers.Add(("bench-" + tag + "O", peer));
                groups.Add(
                [
                    new Step(Key(OvsCniAdd, isNode), () => Proc.Run(In(plugin.OvsCniCall("ADD", "bench-" + tag + "O", peer)))),
                    new Step(Key(OvsCniDel, isNode), () => Proc.Run(In(plugin.OvsCniCall("DEL", "bench-" + tag + "O", peer)))),
                ]);
            }
        }

        Log.Info($"mounts: {runs} interleaved iterations of {groups.Sum(g => g.Count)} calls (+{warmup} warm-up)");
        try
        {
            Schedule.Run("mounts", groups, warmup, runs, Samples, rng);
        }
        finally
        {
            // ovs-cni keeps a cache file per attachment in /var/lib/cni/ovs-cni/cache: its DEL removes it
            if (ovsCniResident is not null)
            {
                foreach (var (id, peer) in peers)
                {
                    Proc.Run(plugin.OvsCniCall("DEL", id, peer));
                }

                Proc.Run(plugin.OvsCniCall("DEL", "resident-O", ovsCniResident));
            }
        }
    }

    /// <summary>A persistent mount namespace from hack/bench/sandbox.sh up-mountns: <see cref="File"/> is its handle.</summary>
    private sealed class MountNamespace : IDisposable
    {
        private readonly Tools tools;

        private MountNamespace(Tools tools, string dir)
        {
            this.tools = tools;
            Dir = dir;
        }

        public string Dir { get; }

        public string File => Path.Combine(Dir, "ns");

        public static MountNamespace Up(Tools tools, int extraMounts)
        {
            var dir = Proc.RunChecked(Command.Of(tools.SandboxScript, "up-mountns", extraMounts.ToString(CultureInfo.InvariantCulture))).Trim();
            return System.IO.File.Exists(Path.Combine(dir, "ns"))
                ? new MountNamespace(tools, dir)
                : throw new BenchException($"sandbox.sh up-mountns printed '{dir}', which has no ns");
        }

        public int CountLines(string nsenter)
        {
            var text = Proc.RunChecked(Command.Of(nsenter, "--mount=" + File, "--", "cat", "/proc/self/mountinfo"));
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        }

        public void Dispose()
        {
            var r = Proc.Run(Command.Of(tools.SandboxScript, "down", Dir));
            if (!r.Ok)
            {
                Log.Info($"mounts: sandbox.sh down {Dir}: {r.Describe()}");
            }
        }
    }
}
