using System.Text;
using System.Text.Json.Nodes;
using OvsMirror.Cni;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// DESIGN §6 "Errors": every bad input gets a CNI error with a meaningful code and a message naming the offending
/// key, exit status 1, and OVSDB unchanged (a dump of the whole database before and after). A secret placed
/// elsewhere in the config never appears on stdout or stderr (STYLE.md §9).
/// </summary>
public sealed class BadInputTests(BadInputSandbox fixture, ITestOutputHelper output) : IClassFixture<BadInputSandbox>
{
    private const string Secret = "hunter2-S3CRET-t0ken-9f41";

    /// <summary>One bad input: the command, what stdin is made from, and the error it must give.</summary>
    private sealed record BadInput(string Command, int Code, string Text, Func<PluginHarness, byte[]> Stdin);

    private static readonly Dictionary<string, BadInput> Table = new()
    {
        ["stdin is not JSON"] = new("ADD", CniErrorCode.DecodingFailure, "not valid JSON",
            _ => Encoding.UTF8.GetBytes($$"""{"cniVersion": "1.0.0", "kubeconfigToken": "{{Secret}}", "bridge": """)),
        ["stdin is not JSON, on DEL"] = new("DEL", CniErrorCode.DecodingFailure, "not valid JSON",
            _ => Encoding.UTF8.GetBytes($$"""{"cniVersion": "1.0.0", "kubeconfigToken": "{{Secret}}" """)),
        ["stdin over 1 MiB"] = new("ADD", CniErrorCode.DecodingFailure, "exceeds 1 MiB",
            h => Bytes(Add(h, c => c["padding"] = string.Concat(Enumerable.Repeat(Secret, (1024 * 1024 / Secret.Length) + 1))))),
        ["cniVersion 9.9.9"] = new("ADD", CniErrorCode.IncompatibleCniVersion, "cniVersion",
            h => Bytes(Add(h, c => c["cniVersion"] = "9.9.9"))),
        ["cniVersion 9.9.9, on DEL"] = new("DEL", CniErrorCode.IncompatibleCniVersion, "cniVersion",
            h => Bytes(Del(h, c => c["cniVersion"] = "9.9.9"))),
        ["bridge is a number"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "bridge must be a string",
            h => Bytes(Add(h, c => c["bridge"] = 5))),
        ["bridge is a number, on DEL"] = new("DEL", CniErrorCode.InvalidNetworkConfig, "bridge must be a string",
            h => Bytes(Del(h, c => c["bridge"] = 5))),
        ["mirrors is an object"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "mirrors must be an array",
            h => Bytes(Add(h, c => c["mirrors"] = new JsonObject()))),
        ["bridge is missing"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "bridge is required",
            h => Bytes(Add(h, c => c.Remove("bridge")))),
        ["bridge is missing, on DEL"] = new("DEL", CniErrorCode.InvalidNetworkConfig, "bridge is required",
            h => Bytes(Del(h, c => c.Remove("bridge")))),
        ["bridge is not in OVSDB"] = new("ADD", PluginErrorCode.BridgeNotFound, "bridge nope does not exist",
            h => Bytes(Add(h, c => c["bridge"] = "nope"))),
        ["no prevResult"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "prevResult is required",
            h => Bytes(Add(h, c => c.Remove("prevResult")))),
        ["prevResult has only sandbox interfaces"] = new("ADD", CniErrorCode.InvalidNetworkConfig,
            "prevResult.interfaces has no host-side interface",
            h => Bytes(Add(h, c => c["prevResult"]!["interfaces"] = new JsonArray
            {
                new JsonObject { ["name"] = "eth1", ["sandbox"] = "/var/run/netns/pod" },
                new JsonObject { ["name"] = "eth2", ["sandbox"] = "/var/run/netns/pod" },
            }))),
        ["host port is on another bridge"] = new("ADD", PluginErrorCode.PortNotOnBridge, "port other1 is not a port of bridge br1",
            h => Bytes(Add(h, c => c["prevResult"] = PluginHarness.PrevResult("other1")))),
        ["host port is not in OVSDB"] = new("ADD", PluginErrorCode.PortNotOnBridge, "port ghost0",
            h => Bytes(Add(h, c => c["prevResult"] = PluginHarness.PrevResult("ghost0")))),
        ["empty mirror name"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "mirrors[0].name must not be empty",
            h => Bytes(Add(h, mirrors: [Source("")]))),
        ["256-byte mirror name"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "mirrors[0].name is longer than 255 bytes",
            h => Bytes(Add(h, mirrors: [Source(new string('m', 256))]))),
        ["mirror name of 128 two-byte characters"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "mirrors[0].name is longer than 255 bytes",
            h => Bytes(Add(h, mirrors: [Source(new string('é', 128))]))),
        // Regression (issue 9 §2.4): a NUL reached ovsdb-server, which dropped the connection, and the plugin said 11.
        ["NUL in a mirror name"] = new("ADD", CniErrorCode.InvalidNetworkConfig,
            "mirrors[0].name must not contain control characters (U+0000 at character 3)",
            h => Bytes(Add(h, mirrors: [Source("m1\0x")]))),
        ["NUL in a pod-args mirror name"] = new("ADD", CniErrorCode.InvalidNetworkConfig,
            "args.cni.mirrors[0].name must not contain control characters (U+0000",
            h => Bytes(Add(h, c =>
            {
                c["allowPodArgs"] = true;
                c["args"]!["cni"]!["mirrors"] = new JsonArray { Source("\0") };
            }))),
        ["escape character in a mirror name"] = new("ADD", CniErrorCode.InvalidNetworkConfig,
            "mirrors[0].name must not contain control characters (U+001B",
            h => Bytes(Add(h, mirrors: [Source("m\u001b[31m")]))),
        ["C1 control in the bridge name, on DEL"] = new("DEL", CniErrorCode.InvalidNetworkConfig,
            "bridge must not contain control characters (U+0085",
            h => Bytes(Del(h, c => c["bridge"] = "br1\u0085"))),
        // Regression (issue 9 §2.5): the details were "at line , byte ".
        ["a key twice"] = new("ADD", CniErrorCode.DecodingFailure, "has a key twice in one object",
            h => Encoding.UTF8.GetBytes("{\"bridge\":\"br1\"," + Add(h).ToJsonString()[1..])),
        ["selection and output in one entry"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "mirrors[0] has both selection and output",
            h => Bytes(Add(h, mirrors: [With(Source("m1"), "output", "port")]))),
        ["source and output of the same mirror"] = new("ADD", CniErrorCode.InvalidNetworkConfig,
            "mirror m1: one attachment cannot be both source and output",
            h => Bytes(Add(h, mirrors: [Source("m1"), Output("m1", "port")]))),
        ["vlans [-1]"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "mirrors[0].vlans[0]: -1 is outside 0-4095",
            h => Bytes(Add(h, mirrors: [VlanSource("m1", -1)]))),
        ["vlans [4096]"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "mirrors[0].vlans[0]: 4096 is outside 0-4095",
            h => Bytes(Add(h, mirrors: [VlanSource("m1", 4096)]))),
        ["outputVlan 0"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "mirrors[0].outputVlan: 0 is outside 1-4095",
            h => Bytes(Add(h, mirrors: [With(Output("m1", "vlan"), "outputVlan", 0)]))),
        ["outputVlan 4096"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "mirrors[0].outputVlan: 4096 is outside 1-4095",
            h => Bytes(Add(h, mirrors: [With(Output("m1", "vlan"), "outputVlan", 4096)]))),
        ["snaplen 13"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "mirrors[0].snaplen: 13 is outside 14-65535",
            h => Bytes(Add(h, mirrors: [With(Source("m1"), "snaplen", 13)]))),
        ["snaplen 65536"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "mirrors[0].snaplen: 65536 is outside 14-65535",
            h => Bytes(Add(h, mirrors: [With(Output("m1", "port"), "snaplen", 65536)]))),
        ["pod args without allowPodArgs"] = new("ADD", PluginErrorCode.PodArgsNotAllowed, "does not set allowPodArgs",
            h => Bytes(Add(h, c => c["args"]!["cni"]!["mirrors"] = new JsonArray { Source("m2") }))),
        ["unreachable socket"] = new("ADD", CniErrorCode.TryAgainLater, "nobody-listens.sock: no such socket file",
            h => Bytes(Add(h, c => c["socket_file"] = "unix:" + Path.Combine(h.Sandbox.Directory, "nobody-listens.sock")))),
        ["unreachable socket, on DEL"] = new("DEL", CniErrorCode.TryAgainLater, "nobody-listens.sock: no such socket file",
            h => Bytes(Del(h, c => c["socket_file"] = "unix:" + Path.Combine(h.Sandbox.Directory, "nobody-listens.sock")))),
        ["socket_file tcp:1.2.3.4 (no port)"] = new("ADD", CniErrorCode.InvalidNetworkConfig, "socket_file has no port",
            h => Bytes(Add(h, c => c["socket_file"] = "tcp:1.2.3.4"))),
        ["socket_file tcp:1.2.3.4 (no port), on DEL"] = new("DEL", CniErrorCode.InvalidNetworkConfig, "socket_file has no port",
            h => Bytes(Del(h, c => c["socket_file"] = "tcp:1.2.3.4"))),
    };

    public static TheoryData<string> Cases => [.. Table.Keys];

    private static JsonObject Source(string name) => new() { ["name"] = name, ["selection"] = new JsonArray("src_port") };

    private static JsonObject Output(string name, string kind) => new() { ["name"] = name, ["output"] = kind };

    private static JsonObject VlanSource(string name, int vlan) =>
        new() { ["name"] = name, ["selection"] = new JsonArray("vlan"), ["vlans"] = new JsonArray(vlan) };

    private static JsonObject With(JsonObject entry, string key, JsonNode value)
    {
        entry[key] = value;
        return entry;
    }

    /// <summary>A valid ADD config (producer of m1 on br1 through prod1) carrying the secret in two places, then changed.</summary>
    private static JsonObject Add(PluginHarness plugin, Action<JsonObject>? change = null, JsonArray? mirrors = null)
    {
        var config = PluginHarness.WithPrevResult(plugin.Config("br1", mirrors ?? new JsonArray(Source("m1"))), "prod1");
        return WithSecrets(config, change);
    }

    /// <summary>A valid DEL config carrying the secret in two places, then changed.</summary>
    private static JsonObject Del(PluginHarness plugin, Action<JsonObject>? change = null) =>
        WithSecrets(plugin.Config("br1", new JsonArray(Source("m1"))), change);

    private static JsonObject WithSecrets(JsonObject config, Action<JsonObject>? change)
    {
        config["kubeconfigToken"] = Secret;
        config["args"] = new JsonObject { ["cni"] = new JsonObject { ["token"] = Secret } };
        change?.Invoke(config);
        return config;
    }

    private static byte[] Bytes(JsonObject config) => Encoding.UTF8.GetBytes(config.ToJsonString());

    [OvsFact]
    public async Task TheTablesBaseConfigs_AreValid_SoEachCaseFailsForItsOneChange()
    {
        var plugin = fixture.Plugin;
        var before = await fixture.Sandbox.DumpAsync();

        plugin.RunRaw("ADD", Bytes(Add(plugin)), "base").ShouldSucceed();
        (await fixture.Sandbox.MirrorOnBridgeAsync("br1", "m1")).Should().NotBeEmpty();
        plugin.RunRaw("DEL", Bytes(Del(plugin)), "base").ShouldSucceed();

        (await fixture.Sandbox.MirrorsAsync()).Should().BeEmpty();
        (await fixture.Sandbox.DumpAsync()).Should().Be(before);
    }

    [OvsTheory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_FailsWithItsCodeAndAMessageNamingTheKey_AndLeavesOvsdbUnchanged(string badInput)
    {
        var input = Table[badInput];
        var plugin = fixture.Plugin;
        var stdin = input.Stdin(plugin);
        var before = await fixture.Sandbox.DumpAsync();

        var run = plugin.RunRaw(input.Command, stdin, "bad");
        output.WriteLine($"{input.Command} {badInput}: exit {run.ExitCode}, code {run.Code}: {run.Message}");

        run.ShouldFail(input.Code, input.Text);
        run.Stdout.Should().NotContain(Secret, "an error never shows config values");
        run.Stderr.Should().NotContain(Secret, "the log never shows config values");
        (await fixture.Sandbox.DumpAsync()).Should().Be(before, "a refused call changes nothing");
    }
}
