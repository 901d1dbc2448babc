using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using IODirectory = System.IO.Directory;

namespace OvsMirror.Testing;

/// <summary>
/// A hermetic, real Open vSwitch for one test (class): ovsdb-server, optionally ovs-vswitchd
/// (userspace <c>netdev</c> datapath, running in its own netns) and optionally an OVN Northbound
/// ovsdb-server. All state lives in a short temp dir (<c>/tmp/om.XXXXXX</c>) and in network
/// namespaces named <see cref="NetnsPrefix"/>*, so sandboxes run in parallel without colliding.
/// The daemons are child processes (no --detach); <see cref="DisposeAsync"/> stops them by PID,
/// deletes every netns it created and removes the dir.
/// Recipe and pitfalls: /work/shared/reference/ovs-test-rig.md; shell twin: hack/ovs-sandbox.sh.
/// </summary>
public sealed class OvsSandbox : IAsyncDisposable
{
    /// <summary>Marker file: hack/ovs-sandbox.sh sweep may clean a dir holding it once owner.pid is dead.</summary>
    public const string MarkerFileName = ".ovs-mirror-sandbox";

    private const int MaxUnixSocketPath = 107; // sun_path is 108 bytes including the NUL
    private const int MaxInterfaceName = 15;   // IFNAMSIZ - 1
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(3);
    private static int counter;

    private readonly List<string> netns = [];
    private readonly Lock netnsLock = new();
    private readonly string vsctl;
    private readonly string ip;
    private DaemonProcess? ovsdbServer;
    private DaemonProcess? vswitchd;
    private DaemonProcess? northbound;
    private bool disposed;

    private OvsSandbox(string directory, string netnsPrefix, bool withVswitchd)
    {
        Directory = directory;
        NetnsPrefix = netnsPrefix;
        HasVswitchd = withVswitchd;
        vsctl = OvsTools.Require("ovs-vsctl");
        ip = withVswitchd ? OvsTools.Require("ip") : "ip";
    }

    /// <summary>The state dir (conf.db, sockets, logs, pid files).</summary>
    public string Directory { get; }

    public string DbSocketPath => Path.Combine(Directory, "db.sock");

    /// <summary>The OVSDB endpoint for the code under test: <c>unix:/tmp/om.XXXXXX/db.sock</c>.</summary>
    public string DbEndpoint => "unix:" + DbSocketPath;

    public string? NbSocketPath => northbound is null ? null : Path.Combine(Directory, "nb.sock");

    /// <summary>The OVN Northbound endpoint, or null when started without it.</summary>
    public string? NbEndpoint => NbSocketPath is { } p ? "unix:" + p : null;

    /// <summary>Every netns of this sandbox starts with this (unique per sandbox, e.g. <c>om1234x1-</c>).</summary>
    public string NetnsPrefix { get; }

    /// <summary>The netns ovs-vswitchd runs in (its bridges' internal ports and the hosts' OVS-side veths live here).</summary>
    public string VswitchdNetns => NetnsPrefix + "ovs";

    /// <summary>Absolute unixctl path of ovs-vswitchd (for <c>ovs-appctl -t</c>).</summary>
    public string VswitchdCtl => Path.Combine(Directory, "ovs-vswitchd.ctl");

    public string OvsdbServerCtl => Path.Combine(Directory, "ovsdb-server.ctl");

    public bool HasVswitchd { get; }

    public int OvsdbServerPid => (ovsdbServer ?? throw new InvalidOperationException("ovsdb-server is not running")).Pid;

    public int? VswitchdPid => vswitchd?.Pid;

    public int? NbServerPid => northbound?.Pid;

    /// <summary>The network namespaces this sandbox created so far.</summary>
    public IReadOnlyList<string> Netns
    {
        get
        {
            lock (netnsLock)
            {
                return [.. netns];
            }
        }
    }

    /// <summary>
    /// Starts a sandbox. Throws a clear <see cref="InvalidOperationException"/> when OVS is not
    /// installed, and on a failed start cleans up what was started and throws with the log tails.
    /// </summary>
    public static async Task<OvsSandbox> StartAsync(
        bool withVswitchd = true, bool withNorthbound = false, CancellationToken ct = default)
    {
        OvsTools.EnsureAvailable(withNorthbound, withVswitchd);
        var dir = CreateShortTempDirectory();
        var prefix = string.Create(
            CultureInfo.InvariantCulture, $"om{Environment.ProcessId}x{Interlocked.Increment(ref counter)}-");
        var sandbox = new OvsSandbox(dir, prefix, withVswitchd);
        var sw = Stopwatch.StartNew();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, MarkerFileName), string.Empty, ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(
                Path.Combine(dir, "owner.pid"),
                Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n",
                ct).ConfigureAwait(false);
            using var startCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            startCts.CancelAfter(StartTimeout);
            await sandbox.StartOvsdbServerAsync(startCts.Token).ConfigureAwait(false);
            await sandbox.RunVsctlAsync(["--no-wait", "init"], startCts.Token).ConfigureAwait(false);
            if (withVswitchd)
            {
                await sandbox.StartVswitchdAsync(startCts.Token).ConfigureAwait(false);
            }

            if (withNorthbound)
            {
                await sandbox.StartNorthboundAsync(startCts.Token).ConfigureAwait(false);
            }

            return sandbox;
        }
        catch (Exception ex)
        {
            var details = sandbox.DescribeState();
            try
            {
                await sandbox.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception cleanup) when (cleanup is IOException or InvalidOperationException or AggregateException)
            {
                details += "\ncleanup after the failed start also failed: " + cleanup.Message;
            }

            throw new InvalidOperationException(
                $"OVS sandbox in {dir} failed to start after {sw.ElapsedMilliseconds} ms: {ex.Message}\n{details}", ex);
        }
    }

    /// <summary><c>ovs-vsctl --db=unix:… --timeout=10 ARGS</c> (plus <c>--no-wait</c> without ovs-vswitchd); throws with stderr on failure.</summary>
    public Task<string> VsctlAsync(params string[] args) => VsctlAsync(args, CancellationToken.None);

    public async Task<string> VsctlAsync(IEnumerable<string> args, CancellationToken ct)
    {
        var result = await TryVsctlAsync(args, ct).ConfigureAwait(false);
        return result.EnsureSuccess().StandardOutput;
    }

    /// <summary>Like <see cref="VsctlAsync(string[])"/> but returns the result instead of throwing on a non-zero exit.</summary>
    public Task<ProcessResult> TryVsctlAsync(IEnumerable<string> args, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var list = args.ToList();
        var global = new List<string> { "--db=" + DbEndpoint };
        if (!list.Any(a => a.StartsWith("--timeout", StringComparison.Ordinal) || a == "-t"))
        {
            global.Add("--timeout=10"); // pitfall 8: never block for ever
        }

        if (!HasVswitchd && !list.Contains("--no-wait"))
        {
            global.Add("--no-wait"); // nobody would ever apply the change
        }

        return ProcessRunner.RunAsync(vsctl, [.. global, .. list], CommandTimeout, cancellationToken: ct);
    }

    /// <summary><c>ovs-appctl -t VswitchdCtl --timeout=10 ARGS</c>; throws with stderr on failure.</summary>
    public Task<string> AppctlAsync(params string[] args) => AppctlAsync(args, CancellationToken.None);

    public async Task<string> AppctlAsync(IEnumerable<string> args, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        RequireVswitchd();
        var result = await ProcessRunner.RunCheckedAsync(
            OvsTools.Require("ovs-appctl"), ["-t", VswitchdCtl, "--timeout=10", .. args], CommandTimeout, cancellationToken: ct)
            .ConfigureAwait(false);
        return result.StandardOutput;
    }

    /// <summary><c>ovn-nbctl --db=unix:…/nb.sock --timeout=10 ARGS</c>; needs <c>withNorthbound</c>.</summary>
    public Task<string> NbctlAsync(params string[] args) => NbctlAsync(args, CancellationToken.None);

    public async Task<string> NbctlAsync(IEnumerable<string> args, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        var endpoint = NbEndpoint ?? throw new InvalidOperationException("this sandbox was started without withNorthbound");
        var result = await ProcessRunner.RunCheckedAsync(
            OvsTools.Require("ovn-nbctl"), ["--db=" + endpoint, "--timeout=10", .. args], CommandTimeout, cancellationToken: ct)
            .ConfigureAwait(false);
        return result.StandardOutput;
    }

    /// <summary>Adds bridge <paramref name="name"/> with datapath_type=netdev (idempotent) and sets its link up.</summary>
    public async Task AddBridgeAsync(string name, CancellationToken ct = default)
    {
        ValidateInterfaceName(name);
        await VsctlAsync(["--may-exist", "add-br", name, "--", "set", "bridge", name, "datapath_type=netdev"], ct)
            .ConfigureAwait(false);
        if (HasVswitchd)
        {
            await RunIpAsync(["-n", VswitchdNetns, "link", "set", "dev", name, "up"], ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Adds a host: netns <c>{NetnsPrefix}{name}</c> whose <c>eth0</c> has <paramref name="cidr"/>,
    /// wired by a veth to port <paramref name="name"/> on <paramref name="bridge"/> (TX offload off,
    /// pitfall 2). <paramref name="vsctlArgs"/> go after <c>add-port BR NAME</c> (e.g. <c>tag=10</c>).
    /// Returns the host's netns name.
    /// </summary>
    public Task<string> AddHostAsync(string name, string bridge, string cidr, params string[] vsctlArgs) =>
        AddHostAsync(name, bridge, cidr, vsctlArgs, CancellationToken.None);

    public async Task<string> AddHostAsync(
        string name, string bridge, string cidr, IEnumerable<string> vsctlArgs, CancellationToken ct)
    {
        ValidateInterfaceName(name);
        ArgumentException.ThrowIfNullOrEmpty(bridge);
        ArgumentException.ThrowIfNullOrEmpty(cidr);
        ArgumentNullException.ThrowIfNull(vsctlArgs);
        RequireVswitchd();
        var ns = NetnsPrefix + name;
        await AddNetnsAsync(ns, ct).ConfigureAwait(false);
        // "name"/"dev" keywords: a bare "h" would be read by ip(8) as the abbreviation of "help"
        await RunIpAsync(["link", "add", "name", name, "netns", VswitchdNetns, "type", "veth", "peer", "name", "eth0", "netns", ns], ct)
            .ConfigureAwait(false);
        await RunIpAsync(["-n", VswitchdNetns, "link", "set", "dev", name, "up"], ct).ConfigureAwait(false);
        await RunIpAsync(["-n", ns, "addr", "add", cidr, "dev", "eth0"], ct).ConfigureAwait(false);
        await RunIpAsync(["-n", ns, "link", "set", "dev", "eth0", "up"], ct).ConfigureAwait(false);
        await RunIpAsync(["-n", ns, "link", "set", "dev", "lo", "up"], ct).ConfigureAwait(false);
        await ProcessRunner.RunCheckedAsync(
            ip, ["netns", "exec", ns, OvsTools.Require("ethtool"), "-K", "eth0", "tx", "off"], CommandTimeout, cancellationToken: ct)
            .ConfigureAwait(false);
        await VsctlAsync(["add-port", bridge, name, .. vsctlArgs], ct).ConfigureAwait(false);
        return ns;
    }

    /// <summary>
    /// Adds a port with an internal interface (works on netdev bridges, and as a bare row in an
    /// ovsdb-server-only sandbox).
    /// </summary>
    public async Task AddPortOnlyAsync(string bridge, string port, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(bridge);
        ValidateInterfaceName(port);
        await VsctlAsync(["add-port", bridge, port, "--", "set", "interface", port, "type=internal"], ct)
            .ConfigureAwait(false);
    }

    /// <summary>Runs <c>ip netns exec NETNS COMMAND…</c> and returns the result (does not throw on a non-zero exit).</summary>
    public Task<ProcessResult> ExecInNetnsAsync(
        string netnsName, IEnumerable<string> command, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(netnsName);
        ArgumentNullException.ThrowIfNull(command);
        return ProcessRunner.RunAsync(ip, ["netns", "exec", netnsName, .. command], timeout ?? CommandTimeout, cancellationToken: ct);
    }

    /// <summary>SIGSTOP the ovsdb-server: clients connect but get no answer (deadline and race tests).</summary>
    public void Pause() => (ovsdbServer ?? throw new InvalidOperationException("ovsdb-server is not running")).Pause();

    /// <summary>SIGCONT the ovsdb-server.</summary>
    public void Resume() => (ovsdbServer ?? throw new InvalidOperationException("ovsdb-server is not running")).Resume();

    /// <summary>SIGSTOP ovs-vswitchd: it applies nothing and answers no unixctl call (flow revalidation tests).</summary>
    public void PauseVswitchd() => (vswitchd ?? throw new InvalidOperationException("ovs-vswitchd is not running")).Pause();

    /// <summary>SIGCONT ovs-vswitchd.</summary>
    public void ResumeVswitchd() => (vswitchd ?? throw new InvalidOperationException("ovs-vswitchd is not running")).Resume();

    /// <summary>Stops the ovsdb-server (SIGTERM, then SIGKILL); the database file stays. See <see cref="RestartOvsdbServerAsync"/>.</summary>
    public async Task StopOvsdbServerAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (ovsdbServer is { } server)
        {
            await server.StopAsync(StopGrace).ConfigureAwait(false);
            server.Dispose();
            ovsdbServer = null;
        }
    }

    /// <summary>SIGKILLs the ovsdb-server (a crash: no clean shutdown); the database file and the stale socket file stay.</summary>
    public async Task KillOvsdbServerAsync()
    {
        if (ovsdbServer is { } server)
        {
            await server.KillAsync().ConfigureAwait(false);
            server.Dispose();
            ovsdbServer = null;
        }
    }

    /// <summary>SIGKILLs ovs-vswitchd (its unixctl socket file stays, with nobody listening). It is not restarted.</summary>
    public async Task KillVswitchdAsync()
    {
        if (vswitchd is { } daemon)
        {
            await daemon.KillAsync().ConfigureAwait(false);
            daemon.Dispose();
            vswitchd = null;
        }
    }

    /// <summary>SIGSTOP the OVN Northbound ovsdb-server.</summary>
    public void PauseNorthbound() => (northbound ?? throw new InvalidOperationException("the OVN NB server is not running")).Pause();

    /// <summary>SIGCONT the OVN Northbound ovsdb-server.</summary>
    public void ResumeNorthbound() => (northbound ?? throw new InvalidOperationException("the OVN NB server is not running")).Resume();

    /// <summary>SIGKILLs the OVN Northbound ovsdb-server and starts it again on the same database file and socket.</summary>
    public async Task RestartNorthboundAsync(CancellationToken ct = default)
    {
        if (northbound is { } daemon)
        {
            await daemon.KillAsync().ConfigureAwait(false);
            daemon.Dispose();
            northbound = null;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(StartTimeout);
        await StartNorthboundAsync(cts.Token).ConfigureAwait(false);
    }

    /// <summary>Starts the ovsdb-server again on the same database and socket (e.g. after <see cref="StopOvsdbServerAsync"/>).</summary>
    public async Task RestartOvsdbServerAsync(CancellationToken ct = default)
    {
        await StopOvsdbServerAsync(ct).ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(StartTimeout);
        await StartOvsdbServerAsync(cts.Token).ConfigureAwait(false);
    }

    /// <summary>The last lines of every log in the sandbox dir, plus the daemons' captured output.</summary>
    public string DescribeState(int linesPerLog = 30)
    {
        var sb = new StringBuilder();
        foreach (var d in new[] { ovsdbServer, vswitchd, northbound })
        {
            if (d is not null)
            {
                sb.AppendLine(d.Describe());
            }
        }

        if (IODirectory.Exists(Directory))
        {
            foreach (var log in IODirectory.GetFiles(Directory, "*.log").Order(StringComparer.Ordinal))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"----- tail of {log} -----");
                try
                {
                    foreach (var line in File.ReadLines(log).TakeLast(linesPerLog))
                    {
                        sb.AppendLine(line);
                    }
                }
                catch (IOException e)
                {
                    sb.AppendLine(e.Message);
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>Stops the daemons by PID (reaping them), deletes every netns created, removes the dir. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        var errors = new List<Exception>();
        foreach (var d in new[] { vswitchd, northbound, ovsdbServer })
        {
            if (d is null)
            {
                continue;
            }

            try
            {
                await d.StopAsync(StopGrace).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                errors.Add(e);
            }
            finally
            {
                d.Dispose();
            }
        }

        vswitchd = northbound = ovsdbServer = null;

        foreach (var ns in Netns.Reverse())
        {
            var r = await ProcessRunner.RunAsync(ip, ["netns", "delete", ns], CommandTimeout).ConfigureAwait(false);
            if (!r.Succeeded && File.Exists(Path.Combine("/run/netns", ns)))
            {
                errors.Add(new ProcessFailedException(r));
            }
        }

        try
        {
            if (IODirectory.Exists(Directory))
            {
                IODirectory.Delete(Directory, recursive: true);
            }
        }
        catch (IOException e)
        {
            errors.Add(e);
        }

        if (errors.Count > 0)
        {
            throw new AggregateException($"OVS sandbox {Directory}: cleanup incomplete", errors);
        }
    }

    private static string CreateShortTempDirectory()
    {
        // Always /tmp (not $TMPDIR): the socket paths must stay < 108 bytes (pitfall 12).
        var template = Encoding.ASCII.GetBytes("/tmp/om.XXXXXX\0");
        if (NativeMethods.MkdTemp(template) == IntPtr.Zero)
        {
            throw new IOException($"mkdtemp(/tmp/om.XXXXXX) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var dir = Encoding.ASCII.GetString(template, 0, template.Length - 1);
        if (Path.Combine(dir, "ovs-vswitchd.ctl").Length > MaxUnixSocketPath)
        {
            throw new InvalidOperationException($"sandbox dir {dir} is too long for unix sockets");
        }

        return dir;
    }

    private static void ValidateInterfaceName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > MaxInterfaceName || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid interface name (at most {MaxInterfaceName} chars of [A-Za-z0-9._-])", nameof(name));
        }
    }

    private async Task StartOvsdbServerAsync(CancellationToken ct)
    {
        var db = Path.Combine(Directory, "conf.db");
        if (!File.Exists(db))
        {
            await ProcessRunner.RunCheckedAsync(
                OvsTools.Require("ovsdb-tool"), ["create", db, OvsTools.VswitchSchema], CommandTimeout, cancellationToken: ct)
                .ConfigureAwait(false);
        }

        File.Delete(DbSocketPath); // a killed server leaves its socket file: wait for the new one, not the stale one
        ovsdbServer = await StartDaemonAsync(
            "ovsdb-server",
            OvsTools.Require("ovsdb-server"),
            [db, "--remote=punix:" + DbSocketPath, "--pidfile=" + Path.Combine(Directory, "ovsdb-server.pid"),
                "--unixctl=" + OvsdbServerCtl, "-vconsole:off", "--log-file=" + Path.Combine(Directory, "ovsdb-server.log"),
                "--no-chdir"],
            DbSocketPath,
            environment: null,
            ct).ConfigureAwait(false);
    }

    private async Task StartVswitchdAsync(CancellationToken ct)
    {
        await AddNetnsAsync(VswitchdNetns, ct).ConfigureAwait(false);
        await RunIpAsync(["-n", VswitchdNetns, "link", "set", "dev", "lo", "up"], ct).ConfigureAwait(false);
        var env = new Dictionary<string, string>
        {
            // pitfall 10: without OVS_RUNDIR it wants /var/run/openvswitch/<bridge>.mgmt
            ["OVS_RUNDIR"] = Directory,
            ["OVS_DBDIR"] = Directory,
            ["OVS_LOGDIR"] = Directory,
            ["OVS_SYSCONFDIR"] = Directory,
        };

        // `ip netns exec` execs (no fork), so the child PID is ovs-vswitchd's.
        vswitchd = await StartDaemonAsync(
            "ovs-vswitchd",
            ip,
            ["netns", "exec", VswitchdNetns, OvsTools.Require("ovs-vswitchd"), "unix:" + DbSocketPath,
                "--pidfile=" + Path.Combine(Directory, "ovs-vswitchd.pid"), "--unixctl=" + VswitchdCtl, "-vconsole:off",
                "--log-file=" + Path.Combine(Directory, "ovs-vswitchd.log"), "--no-chdir"],
            socketToWaitFor: null,
            env,
            ct).ConfigureAwait(false);

        // Returns only once ovs-vswitchd has applied the change, i.e. it is up. Race it against
        // the daemon dying, so a crash is reported at once with its log instead of after 10 s.
        using var raceCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ready = RunVsctlAsync(["set", "Open_vSwitch", ".", "external_ids:testenv=1"], raceCts.Token);
        var died = vswitchd.WaitForExitAsync(raceCts.Token);
        if (await Task.WhenAny(ready, died).ConfigureAwait(false) == died && vswitchd.HasExited)
        {
            await raceCts.CancelAsync().ConfigureAwait(false);
            throw new InvalidOperationException("ovs-vswitchd exited during start-up");
        }

        await raceCts.CancelAsync().ConfigureAwait(false);
        await ready.ConfigureAwait(false);
    }

    private async Task StartNorthboundAsync(CancellationToken ct)
    {
        var db = Path.Combine(Directory, "nb.db");
        var sock = Path.Combine(Directory, "nb.sock");
        if (!File.Exists(db))
        {
            await ProcessRunner.RunCheckedAsync(
                OvsTools.Require("ovsdb-tool"), ["create", db, OvsTools.NorthboundSchema], CommandTimeout, cancellationToken: ct)
                .ConfigureAwait(false);
        }

        File.Delete(sock); // a killed server leaves its socket file: wait for the new one, not the stale one
        northbound = await StartDaemonAsync(
            "ovsdb-server (OVN NB)",
            OvsTools.Require("ovsdb-server"),
            [db, "--remote=punix:" + sock, "--pidfile=" + Path.Combine(Directory, "nb.pid"),
                "--unixctl=" + Path.Combine(Directory, "nb.ctl"), "-vconsole:off", "--log-file=" + Path.Combine(Directory, "nb.log"),
                "--no-chdir"],
            sock,
            environment: null,
            ct).ConfigureAwait(false);
        await NbctlAsync(["init"], ct).ConfigureAwait(false);
    }

    /// <summary>Starts a daemon (no --detach) and, if given, waits for its socket to appear.</summary>
    /// <summary>Whether a unix stream socket at <paramref name="path"/> is listening (a connect succeeds).</summary>
    private static bool AcceptsConnections(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<DaemonProcess> StartDaemonAsync(
        string name,
        string fileName,
        string[] args,
        string? socketToWaitFor,
        IReadOnlyDictionary<string, string>? environment,
        CancellationToken ct)
    {
        var daemon = DaemonProcess.Start(name, fileName, args, environment);
        if (socketToWaitFor is null)
        {
            return daemon;
        }

        try
        {
            // Not File.Exists: the file appears at bind(2), and a connect before listen(2) is refused
            // (found by hack/stress-loop.sh: "database connection failed (Connection refused)").
            while (!AcceptsConnections(socketToWaitFor))
            {
                if (daemon.HasExited)
                {
                    throw new InvalidOperationException($"{name} exited before listening on {socketToWaitFor}: {daemon.Describe()}");
                }

                await Task.Delay(5, ct).ConfigureAwait(false);
            }

            return daemon;
        }
        catch
        {
            await daemon.StopAsync(StopGrace).ConfigureAwait(false);
            daemon.Dispose();
            throw;
        }
    }

    private async Task AddNetnsAsync(string name, CancellationToken ct)
    {
        await RunIpAsync(["netns", "add", name], ct).ConfigureAwait(false);
        lock (netnsLock)
        {
            netns.Add(name);
        }

        // for hack/ovs-sandbox.sh sweep, should this process die without disposing
        await File.AppendAllTextAsync(Path.Combine(Directory, "netns.list"), name + "\n", ct).ConfigureAwait(false);
    }

    private Task<ProcessResult> RunIpAsync(string[] args, CancellationToken ct) =>
        ProcessRunner.RunCheckedAsync(ip, args, CommandTimeout, cancellationToken: ct);

    private Task<string> RunVsctlAsync(string[] args, CancellationToken ct) => VsctlAsync(args, ct);

    private void RequireVswitchd()
    {
        if (!HasVswitchd)
        {
            throw new InvalidOperationException("this sandbox was started without ovs-vswitchd (withVswitchd: false)");
        }
    }
}
