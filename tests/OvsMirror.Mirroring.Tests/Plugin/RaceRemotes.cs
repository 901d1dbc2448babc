using System.Globalization;
using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// One extra listening socket per race caller on the SAME ovsdb-server and database
/// (<c>ovsdb-server/add-remote punix:…</c>).
/// <para>Why: ovsdb-server accepts at most one connection per listening socket per turn of its main loop, and
/// answers that session's queued request in the same turn. With every caller on one socket, the sessions are
/// accepted one turn at a time after a pause, and the first caller's write arrives before the seventh caller's read
/// is even accepted, so only a handful collide. With one socket each, one turn accepts all of them and answers all
/// their first reads from the same state, so their writes really meet. Each call still opens its own connection
/// to the one database, as the plugin does.</para>
/// </summary>
internal sealed class RaceRemotes
{
    private readonly string[] endpoints;

    private RaceRemotes(string[] paths)
    {
        Paths = paths;
        endpoints = [.. paths.Select(p => "unix:" + p)];
    }

    public int Count => endpoints.Length;

    /// <summary>The listening sockets' paths.</summary>
    public IReadOnlyCollection<string> Paths { get; }

    public static async Task<RaceRemotes> AddAsync(OvsSandbox sandbox, int count)
    {
        var paths = Enumerable.Range(0, count)
            .Select(i => Path.Combine(sandbox.Directory, "r" + i.ToString("00", CultureInfo.InvariantCulture) + ".sock"))
            .ToArray();
        foreach (var path in paths)
        {
            await ProcessRunner.RunCheckedAsync(
                OvsTools.Require("ovs-appctl"), ["-t", sandbox.OvsdbServerCtl, "--timeout=10", "ovsdb-server/add-remote", "punix:" + path]);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!paths.All(File.Exists))
        {
            await Task.Delay(5, cts.Token);
        }

        return new RaceRemotes(paths);
    }

    /// <summary>ADD of <paramref name="hostPort"/> through caller <paramref name="caller"/>'s own socket.</summary>
    public PluginRun Add(PluginHarness plugin, int caller, string bridge, string hostPort, JsonNode mirrors, string containerId) =>
        plugin.Run("ADD", PluginHarness.WithPrevResult(plugin.Config(bridge, mirrors, extra: Via(caller)), hostPort), containerId);

    /// <summary>DEL through caller <paramref name="caller"/>'s own socket; with <paramref name="hostPort"/>, a prevResult naming it
    /// (as libcni sends for cniVersion 0.4.0 and later: DEL then finds the records from the port), else none.</summary>
    public PluginRun Del(PluginHarness plugin, int caller, string bridge, string containerId, string? hostPort = null)
    {
        var config = plugin.Config(bridge, null, extra: Via(caller));
        return plugin.Run("DEL", hostPort is null ? config : PluginHarness.WithPrevResult(config, hostPort), containerId);
    }

    private JsonObject Via(int caller) => new() { ["socket_file"] = endpoints[caller % endpoints.Length] };
}
