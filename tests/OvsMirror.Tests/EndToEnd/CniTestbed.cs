using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// One end-to-end world: a hermetic OVS (ovsdb-server + ovs-vswitchd, netdev datapath, in its own netns)
/// with bridge br1, a private CNI_PATH (<c>ovs</c> = hack/ovs-attach, <c>ovs-mirror</c> = artifacts/bin/ovs-mirror),
/// pods as network namespaces, and attachments made the way a runtime makes them: <c>cnidriver add</c> (libcni)
/// with the example conflists of cni-conf-examples and their cni-args files. The examples are copied with only
/// the endpoints changed: <c>socket_file</c> of the sandbox in the ovs and ovs-mirror plugins, and
/// <c>vswitchdCtl</c> in ovs-mirror. Everything is torn down by PID and by name of what it created.
/// </summary>
internal sealed class CniTestbed : IAsyncDisposable
{
    public const string Bridge = "br1";
    public const string PodNamespace = "emu-cni";
    private static readonly TimeSpan CniTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly ITestOutputHelper? output;
    private readonly List<Pod> pods = [];
    private readonly List<NetnsProcess> processes = [];
    private readonly List<PacketCapture> captures = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int fileCounter;

    private CniTestbed(OvsSandbox sandbox, ITestOutputHelper? output)
    {
        Sandbox = sandbox;
        this.output = output;
        BinDir = Path.Combine(sandbox.Directory, "cni-bin");
        CacheDir = Path.Combine(sandbox.Directory, "cni-cache");
        ConfDir = Path.Combine(sandbox.Directory, "conf");
        CaptureDir = Path.Combine(sandbox.Directory, "cap");
    }

    public OvsSandbox Sandbox { get; }

    public string BinDir { get; }

    public string CacheDir { get; }

    public string ConfDir { get; }

    public string CaptureDir { get; }

    public static async Task<CniTestbed> StartAsync(ITestOutputHelper? output = null)
    {
        RepoPaths.EnsureBuilt();
        var sandbox = await OvsSandbox.StartAsync();
        var bed = new CniTestbed(sandbox, output);
        try
        {
            await sandbox.AddBridgeAsync(Bridge);
            foreach (var dir in new[] { bed.BinDir, bed.CacheDir, bed.ConfDir, bed.CaptureDir })
            {
                Directory.CreateDirectory(dir);
            }

            File.CreateSymbolicLink(Path.Combine(bed.BinDir, "ovs"), RepoPaths.OvsAttach);
            foreach (var name in new[] { "ovs-mirror", "ovs-mirror-producer", "ovs-mirror-consumer" })
            {
                File.CreateSymbolicLink(Path.Combine(bed.BinDir, name), RepoPaths.OvsMirror);
            }

            bed.Log($"sandbox {sandbox.Directory}, vswitchd netns {sandbox.VswitchdNetns}");
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    public void Log(string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,7:0.000}] {message}");
        try
        {
            output?.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // the test is over
        }
    }

    /// <summary>Creates the pod's network namespace (lo up); the container id is the pod name.</summary>
    public async Task<Pod> PodAsync(string name)
    {
        var pod = new Pod(name, Sandbox.NetnsPrefix + name, name);
        await Run("ip", ["netns", "add", pod.Netns]);
        lock (pods)
        {
            pods.Add(pod);
        }

        // hack/ovs-sandbox.sh sweep deletes these too, should this process die without disposing
        await File.AppendAllTextAsync(Path.Combine(Sandbox.Directory, "netns.list"), pod.Netns + "\n");
        await Run("ip", ["-n", pod.Netns, "link", "set", "dev", "lo", "up"]);
        return pod;
    }

    /// <summary>
    /// A conflist of our own with only the attachment plugin (a plain ovs-cni port, no ovs-mirror): for peers
    /// and bystanders, and a trunk port. Returns its path.
    /// </summary>
    public string PlainPortConflist(string name, int? vlan = null, IReadOnlyList<int>? trunks = null, string cniVersion = "1.0.0")
    {
        var plugin = new JsonObject { ["type"] = "ovs", ["bridge"] = Bridge };
        if (vlan is { } v)
        {
            plugin["vlan"] = v;
        }

        if (trunks is not null)
        {
            plugin["trunk"] = new JsonArray([.. trunks.Select(t => (JsonNode)new JsonObject { ["id"] = t })]);
        }

        var list = new JsonObject
        {
            ["cniVersion"] = cniVersion,
            ["name"] = name,
            ["plugins"] = new JsonArray(plugin),
        };
        var path = Path.Combine(ConfDir, "local-" + name + ".conflist");
        File.WriteAllText(path, list.ToJsonString(Indented));
        return path;
    }

    /// <summary>
    /// <c>cnidriver add</c> of <paramref name="conflist"/> (a file of cni-conf-examples, or a path) for the pod's
    /// <paramref name="ifName"/>, with <paramref name="cniArgs"/> (a <c>*.cni-args.json</c> of cni-conf-examples)
    /// as the network selection element's cni-args, and <paramref name="address"/> as <c>IP=</c> in CNI_ARGS.
    /// Throws with the plugin's error when ADD fails.
    /// </summary>
    public async Task<Attachment> AddAsync(Pod pod, string ifName, string conflist, string? cniArgs = null, string? address = null)
    {
        var (result, attachment) = await TryAddAsync(pod, ifName, conflist, cniArgs, address);
        if (attachment is null)
        {
            throw new InvalidOperationException(
                $"ADD of {pod.Name}/{ifName} with {Path.GetFileName(conflist)} failed: {result.StandardOutput.Trim()} {result.StandardError.Trim()}");
        }

        return attachment;
    }

    /// <summary>Like <see cref="AddAsync"/>, but returns the cnidriver result (and no attachment) when ADD fails.</summary>
    public async Task<(ProcessResult Result, Attachment? Attachment)> TryAddAsync(
        Pod pod, string ifName, string conflist, string? cniArgs = null, string? address = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var conf = SandboxConflist(conflist);
        var args = ExampleOrPath(cniArgs);
        var sw = Stopwatch.StartNew();
        var result = await CniDriverAsync("add", pod, ifName, conf, args, address);
        Log($"ADD {pod.Name}/{ifName} {Path.GetFileName(conflist)}{(cniArgs is null ? string.Empty : " + " + Path.GetFileName(cniArgs))}"
            + $"{(address is null ? string.Empty : " ip " + address)}: exit {result.ExitCode} in {sw.ElapsedMilliseconds} ms"
            + (result.Succeeded ? string.Empty : $": {result.StandardOutput.Trim()}"));
        if (!result.Succeeded)
        {
            return (result, null);
        }

        var json = JsonNode.Parse(result.StandardOutput)!.AsObject();
        return (result, new Attachment(pod, ifName, conf, args, address, json));
    }

    public async Task DelAsync(Attachment attachment)
    {
        var result = await TryDelAsync(attachment);
        result.EnsureSuccess();
    }

    public async Task<ProcessResult> TryDelAsync(Attachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        var sw = Stopwatch.StartNew();
        var result = await CniDriverAsync("del", attachment.Pod, attachment.IfName, attachment.Conflist, attachment.CniArgs, attachment.Address);
        Log($"DEL {attachment}: exit {result.ExitCode} in {sw.ElapsedMilliseconds} ms");
        return result;
    }

    public async Task<ProcessResult> CheckAsync(Attachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return await CniDriverAsync("check", attachment.Pod, attachment.IfName, attachment.Conflist, attachment.CniArgs, attachment.Address);
    }

    /// <summary>Runs cnidriver with the pod's identity as kubelet/Multus would pass it.</summary>
    public Task<ProcessResult> CniDriverAsync(string command, Pod pod, string ifName, string conflist, string? cniArgs, string? address)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var args = new List<string>
        {
            command, "--conflist", conflist, "--netns", pod.NetnsPath, "--ifname", ifName,
            "--container-id", pod.ContainerId, "--pod-name", pod.Name, "--pod-namespace", PodNamespace,
            "--cni-path", BinDir, "--cache-dir", CacheDir,
        };
        if (cniArgs is not null)
        {
            args.AddRange(["--cni-args", cniArgs]);
        }

        if (address is not null)
        {
            args.AddRange(["--ip", address]);
        }

        return ProcessRunner.RunAsync(
            RepoPaths.CniDriver, args, CniTimeout,
            new Dictionary<string, string> { ["OVS_ATTACH_SWITCH_NETNS"] = Sandbox.VswitchdNetns });
    }

    /// <summary>Starts tcpdump on the pod's interface and returns once it is listening.</summary>
    public async Task<PacketCapture> CaptureAsync(Pod pod, string ifName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var file = Path.Combine(CaptureDir, $"{pod.Name}.{ifName}.{Interlocked.Increment(ref fileCounter)}.pcap");
        var capture = await PacketCapture.StartAsync(pod, ifName, file);
        lock (captures)
        {
            captures.Add(capture);
        }

        return capture;
    }

    /// <summary>Starts a long-running command in the pod (stopped by PID at the latest on dispose).</summary>
    public NetnsProcess Start(Pod pod, params string[] command)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var p = NetnsProcess.Start(pod.Netns, command);
        lock (processes)
        {
            processes.Add(p);
        }

        return p;
    }

    /// <summary>Pings <paramref name="count"/> times and throws unless every echo was answered.</summary>
    public async Task PingAsync(Pod from, string to, int count, double interval = 0.1, int size = 56)
    {
        ArgumentNullException.ThrowIfNull(from);
        var r = await Sandbox.ExecInNetnsAsync(
            from.Netns,
            [OvsTools.Require("ping"), "-c", count.ToString(CultureInfo.InvariantCulture), "-i", interval.ToString(CultureInfo.InvariantCulture),
                "-W", "2", "-s", size.ToString(CultureInfo.InvariantCulture), "-q", to],
            TimeSpan.FromSeconds(10 + count));
        if (!r.Succeeded || !r.StandardOutput.Contains($"{count} received", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"ping {from.Name} -> {to} ({count}x) failed: {r.StandardOutput.Trim()} {r.StandardError.Trim()}");
        }

        Log($"ping {from.Name} -> {to}: {count} answered");
    }

    /// <summary>
    /// A TCP exchange: nc listens in <paramref name="server"/>, <paramref name="client"/> connects to
    /// <paramref name="serverIp"/>, sends a line and closes; throws unless the server got the line.
    /// </summary>
    public async Task TcpExchangeAsync(Pod client, Pod server, string serverIp, int port = 5001)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(server);
        var nc = OvsTools.Require("nc");
        var portText = port.ToString(CultureInfo.InvariantCulture);
        await using var listener = Start(server, OvsTools.Require("timeout"), "20", nc, "-4", "-l", portText);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var ss = await Sandbox.ExecInNetnsAsync(server.Netns, [OvsTools.Require("ss"), "-Htln", $"sport = :{portText}"], TimeSpan.FromSeconds(10));
            if (ss.StandardOutput.Trim().Length > 0)
            {
                break;
            }

            if (listener.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"nc did not listen in {server.Name}: {listener.StandardError}");
            }

            await Task.Delay(10);
        }

        const string Line = "mirror me over tcp";
        var send = await ProcessRunner.RunAsync(
            OvsTools.Require("ip"), ["netns", "exec", client.Netns, nc, "-4", "-N", "-w", "3", serverIp, portText],
            TimeSpan.FromSeconds(15), standardInput: Line + "\n");
        var exited = await listener.WaitForExitAsync(TimeSpan.FromSeconds(10));
        if (!send.Succeeded || !exited || !listener.StandardOutput.Contains(Line, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"TCP {client.Name} -> {serverIp}:{port} failed: client exit {send.ExitCode} {send.StandardError.Trim()}; " +
                $"server exited: {exited}, got '{listener.StandardOutput.Trim()}' {listener.StandardError.Trim()}");
        }

        Log($"tcp {client.Name} -> {server.Name} {serverIp}:{port}: line delivered");
    }

    /// <summary>The ethertype of <see cref="FlushAsync"/>'s marker frame (IEEE 802 local experimental 1).</summary>
    public const int FlushMarkerEtherType = 0x88b5;

    /// <summary>
    /// Waits, as a condition instead of a settle time, until every copy ovs-vswitchd sent to the captured interface
    /// before now is in the capture: a marker frame is sent by <c>ovs-ofctl packet-out</c> out of the same OVS port,
    /// behind whatever vswitchd already sent there (the port's veth is FIFO), and the capture is polled until it holds
    /// the marker. A mirror copy that should not exist would have been sent with its original, before the marker.
    /// </summary>
    public async Task FlushAsync(PacketCapture capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        var ip = OvsTools.Require("ip");
        var iflink = (await ProcessRunner.RunCheckedAsync(ip,
            ["netns", "exec", capture.Pod.Netns, "cat", $"/sys/class/net/{capture.InterfaceName}/iflink"])).StandardOutput.Trim();
        var links = (await ProcessRunner.RunCheckedAsync(ip, ["-n", Sandbox.VswitchdNetns, "-o", "link"])).StandardOutput;
        var port = links.Split('\n').Select(l => l.Split(": ", 3)).Where(f => f.Length == 3 && f[0] == iflink)
            .Select(f => f[1].Split('@')[0]).FirstOrDefault()
            ?? throw new InvalidOperationException($"no OVS-side peer (ifindex {iflink}) of {capture.Name} in {Sandbox.VswitchdNetns}");
        var ofport = (await Sandbox.VsctlAsync("get", "Interface", port, "ofport")).Trim();
        var frame = "ffffffffffff" + "020000000001" + FlushMarkerEtherType.ToString("x4", CultureInfo.InvariantCulture) + new string('0', 92);
        await ProcessRunner.RunCheckedAsync(OvsTools.Require("ovs-ofctl"),
            ["packet-out", "unix:" + Path.Combine(Sandbox.Directory, Bridge + ".mgmt"), "LOCAL", "output:" + ofport, frame]);
        var packets = await capture.WaitUntilAsync(all => all.Any(IsFlushMarker), TimeSpan.FromSeconds(30));
        packets.Should().Contain(p => IsFlushMarker(p), "the flush marker sent out of {0}'s OVS port {1} must reach its capture", capture.Name, port);
    }

    private static bool IsFlushMarker(CapturedPacket packet) => packet.EtherType == FlushMarkerEtherType;

    /// <summary>Oracle: <c>ovs-vsctl get TABLE RECORD COLUMN</c>, trimmed.</summary>
    public async Task<string> GetAsync(string table, string record, string column) =>
        (await Sandbox.VsctlAsync("get", table, record, column)).Trim();

    /// <summary>Oracle: the names of every Mirror row.</summary>
    public async Task<IReadOnlyList<string>> MirrorNamesAsync() =>
        [.. (await Sandbox.VsctlAsync("--bare", "--columns=name", "list", "Mirror"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Oracle: the ports on br1.</summary>
    public async Task<IReadOnlyList<string>> PortsAsync() =>
        [.. (await Sandbox.VsctlAsync("list-ports", Bridge))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Oracle: the Port row's uuid of an attachment (what Mirror columns reference).</summary>
    public Task<string> PortUuidAsync(Attachment attachment) =>
        GetAsync("Port", (attachment ?? throw new ArgumentNullException(nameof(attachment))).HostInterface, "_uuid");

    /// <summary>A copy of the conflist (a file of cni-conf-examples, or a path) with this sandbox's endpoints; nothing else changes.</summary>
    public string SandboxConflist(string conflist)
    {
        var source = ExampleOrPath(conflist)!;
        var doc = JsonNode.Parse(File.ReadAllText(source))!.AsObject();
        foreach (var plugin in doc["plugins"]!.AsArray().OfType<JsonObject>())
        {
            var type = plugin["type"]?.GetValue<string>() ?? string.Empty;
            if (type == "ovs" || type.StartsWith("ovs-mirror", StringComparison.Ordinal))
            {
                plugin["socket_file"] = Sandbox.DbEndpoint;
            }

            if (type.StartsWith("ovs-mirror", StringComparison.Ordinal))
            {
                plugin["vswitchdCtl"] = Sandbox.VswitchdCtl;
            }
        }

        var path = Path.Combine(ConfDir, Path.GetFileName(source));
        File.WriteAllText(path, doc.ToJsonString(Indented));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in captures)
        {
            await c.DisposeAsync();
        }

        foreach (var p in processes)
        {
            await p.DisposeAsync();
        }

        foreach (var pod in pods.AsEnumerable().Reverse())
        {
            await ProcessRunner.RunAsync(OvsTools.Require("ip"), ["netns", "delete", pod.Netns], TimeSpan.FromSeconds(30));
        }

        await Sandbox.DisposeAsync();
    }

    private static string? ExampleOrPath(string? file) =>
        file is null ? null : Path.IsPathRooted(file) ? file : RepoPaths.Example(file);

    private static Task<ProcessResult> Run(string tool, IEnumerable<string> args) =>
        ProcessRunner.RunCheckedAsync(OvsTools.Require(tool), args, TimeSpan.FromSeconds(30));
}
