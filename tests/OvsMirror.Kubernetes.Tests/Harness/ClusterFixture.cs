using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>
/// The running cluster of <c>hack/k8s/up</c>, shared by the suite: kubectl, containerd, the OVSDB oracle,
/// and the waits every test needs. The tests run one at a time (they share mirror names and <c>br1</c>).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The namespace the proposal's YAML names.</summary>
    public const string Namespace = "emu-cni";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private ClusterEnvironment? environment;

    public ClusterEnvironment Environment => environment ?? throw new InvalidOperationException("the cluster fixture is not initialised");

    public Kubectl Kubectl { get; private set; } = null!;

    public Containerd Containerd { get; private set; } = null!;

    public OvsVsctl Ovs { get; private set; } = null!;

    /// <summary>Where captures and the figures log go (under artifacts/k8s).</summary>
    public string WorkDirectory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (ClusterEnvironment.SkipReason() is not null)
        {
            return; // every test is skipped; nothing to connect to
        }

        environment = await ClusterEnvironment.LoadAsync().ConfigureAwait(false);
        Kubectl = new Kubectl(environment.Kubeconfig);
        Containerd = new Containerd(environment.ContainerdSocket);
        Ovs = new OvsVsctl(environment.Ovsdb, environment.Bridge);
        WorkDirectory = Path.Combine(RepoPaths.Root, "artifacts", "k8s");
        Directory.CreateDirectory(Path.Combine(WorkDirectory, "captures"));
        var ns = await Kubectl.RunAsync(["get", "namespace", Namespace]).ConfigureAwait(false);
        if (!ns.Succeeded)
        {
            await Kubectl.RunCheckedAsync(["create", "namespace", Namespace]).ConfigureAwait(false);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Pods whose deletion was checked (their sandbox's netns released: CNI DEL done) but which kubelet 1.20 may keep
    /// in the API until its 1-minute container GC. They are not in the way of the next test.
    /// </summary>
    public HashSet<string> ReleasedPodUids { get; } = new(StringComparer.Ordinal);

    public ManifestAdapter NewAdapter(string runId) => new(Environment.Ovsdb, Environment.IpamDirectory, runId);

    /// <summary>The pods of the namespace, or only those matching <paramref name="selector"/> (a label selector).</summary>
    public async Task<IReadOnlyList<ClusterPod>> PodsAsync(string? selector = null, string ns = Namespace)
    {
        var list = selector is null
            ? await Kubectl.GetJsonAsync("-n", ns, "get", "pods").ConfigureAwait(false)
            : await Kubectl.GetJsonAsync("-n", ns, "get", "pods", "-l", selector).ConfigureAwait(false);
        return [.. (list["items"]?.AsArray() ?? []).Select(p => ClusterPod.FromJson(p!))];
    }

    /// <summary>Polls the pods until <paramref name="done"/> holds; fails after <paramref name="timeout"/> with the events.</summary>
    public async Task<IReadOnlyList<ClusterPod>> WaitForPodsAsync(
        Func<IReadOnlyList<ClusterPod>, bool> done, TimeSpan timeout, string what, string? selector = null, string ns = Namespace)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var pods = await PodsAsync(selector, ns).ConfigureAwait(false);
            if (done(pods))
            {
                return pods;
            }

            if (sw.Elapsed >= timeout)
            {
                throw new TimeoutException(
                    $"{what}: not within {timeout.TotalSeconds:0} s. Pods: " +
                    string.Join("; ", pods.Select(p => $"{p.Name} {p.Phase} ready={p.Ready} terminating={p.Terminating}")) +
                    "\nRecent events:\n" + await RecentEventsAsync(ns).ConfigureAwait(false));
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for an arbitrary condition (polling), returning how long it took; throws on timeout.</summary>
    public static async Task<TimeSpan> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var sw = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (sw.Elapsed >= timeout)
            {
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }

        return sw.Elapsed;
    }

    public async Task<string> RecentEventsAsync(string ns = Namespace)
    {
        var r = await Kubectl.RunAsync(["-n", ns, "get", "events", "--sort-by=.lastTimestamp"]).ConfigureAwait(false);
        var lines = r.StandardOutput.Split('\n');
        return string.Join('\n', lines.TakeLast(25));
    }

    /// <summary>The running sandbox of a pod (waits for containerd to report it).</summary>
    public async Task<Sandbox> SandboxAsync(ClusterPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        Sandbox? sandbox = null;
        await WaitForAsync(
            async () => (sandbox = await Containerd.RunningSandboxAsync(pod.Uid).ConfigureAwait(false)) is not null,
            TimeSpan.FromSeconds(30),
            $"the sandbox of pod {pod.Name}").ConfigureAwait(false);
        return sandbox!;
    }

    /// <summary>
    /// <c>ping</c> from inside a pod's network namespace, out of one interface; returns the replies received.
    /// </summary>
    public static async Task<int> PingAsync(Sandbox from, string interfaceName, string destination, int count)
    {
        ArgumentNullException.ThrowIfNull(from);
        var r = await ProcessRunner.RunAsync(
            "nsenter",
            [
                "-t", from.Pid.ToString(CultureInfo.InvariantCulture), "-n",
                "ping", "-n", "-q", "-c", count.ToString(CultureInfo.InvariantCulture), "-i", "0.2", "-W", "3",
                "-I", interfaceName, destination,
            ],
            TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        var m = System.Text.RegularExpressions.Regex.Match(r.StandardOutput, @"(\d+) received");
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Appends a measured figure to artifacts/k8s/figures.log (and returns the line for the test output).</summary>
    public string Figure(string text)
    {
        var line = $"{DateTime.UtcNow:HH:mm:ss} {text}";
        File.AppendAllText(Path.Combine(WorkDirectory, "figures.log"), line + "\n");
        return line;
    }

    public static JsonObject AsList(IEnumerable<JsonNode> items) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. items.Select(i => i.DeepClone())]) };
}
