using System.Globalization;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// Reads OVSDB with ovs-vsctl, which shares no code with the plugin: the independent oracle of these tests.
/// </summary>
internal static class OvsdbOracle
{
    /// <summary>Every Mirror row: (uuid, name) in database order.</summary>
    public static async Task<IReadOnlyList<(string Uuid, string Name)>> MirrorsAsync(this OvsSandbox sandbox)
    {
        var text = await sandbox.VsctlAsync("--format=csv", "--no-headings", "--data=bare", "--columns=_uuid,name", "list", "Mirror");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).Select(p => (p[0], p[1]))];
    }

    /// <summary>The uuids of the mirrors a bridge holds (Bridge.mirrors).</summary>
    public static async Task<IReadOnlyList<string>> BridgeMirrorsAsync(this OvsSandbox sandbox, string bridge) =>
        Uuids(await sandbox.VsctlAsync("get", "Bridge", bridge, "mirrors"));

    /// <summary>A column of the mirror with this uuid, as ovs-vsctl prints it.</summary>
    public static async Task<string> MirrorColumnAsync(this OvsSandbox sandbox, string uuid, string column) =>
        (await sandbox.VsctlAsync("get", "Mirror", uuid, column)).Trim();

    public static async Task<IReadOnlyList<string>> MirrorUuidsAsync(this OvsSandbox sandbox, string uuid, string column) =>
        Uuids(await sandbox.MirrorColumnAsync(uuid, column));

    /// <summary>The one mirror of this name on this bridge; fails the test when there are none or several.</summary>
    public static async Task<string> MirrorOnBridgeAsync(this OvsSandbox sandbox, string bridge, string name)
    {
        var onBridge = await sandbox.BridgeMirrorsAsync(bridge);
        var named = new List<string>();
        foreach (var uuid in onBridge)
        {
            if ((await sandbox.MirrorColumnAsync(uuid, "name")).Trim('"') == name)
            {
                named.Add(uuid);
            }
        }

        named.Should().ContainSingle($"bridge {bridge} should hold exactly one mirror named {name}");
        return named[0];
    }

    public static async Task<string> PortUuidAsync(this OvsSandbox sandbox, string port) =>
        (await sandbox.VsctlAsync("get", "Port", port, "_uuid")).Trim();

    /// <summary>The whole Open_vSwitch database as text, to prove a failed call changed nothing.</summary>
    public static async Task<string> DumpAsync(this OvsSandbox sandbox)
    {
        var result = await ProcessRunner.RunCheckedAsync("ovsdb-client", ["dump", sandbox.DbEndpoint, "Open_vSwitch"]);
        return result.StandardOutput;
    }

    public static async Task AddPortsAsync(this OvsSandbox sandbox, string bridge, params string[] ports)
    {
        var args = new List<string>();
        foreach (var port in ports)
        {
            args.AddRange(["--", "add-port", bridge, port, "--", "set", "interface", port, "type=internal"]);
        }

        await sandbox.VsctlAsync(args, CancellationToken.None);
    }

    public static async Task AddTaggedPortAsync(this OvsSandbox sandbox, string bridge, string port, int tag) =>
        await sandbox.VsctlAsync("add-port", bridge, port, $"tag={tag.ToString(CultureInfo.InvariantCulture)}", "--", "set", "interface", port, "type=internal");

    private static IReadOnlyList<string> Uuids(string text) =>
        [.. text.Trim().Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
