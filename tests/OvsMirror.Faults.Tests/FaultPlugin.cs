using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using OvsMirror.Cni;
using OvsMirror.Mirroring;
using OvsMirror.Testing;

namespace OvsMirror.Faults.Tests;

/// <summary>
/// Runs the plugin in-process exactly as the executable does (CniDispatcher + OvsMirrorPlugin over an injected env,
/// stdin and stdout), against a sandbox under a fault. <see cref="OnStep"/> lets a test inject the fault between
/// the call's own steps ("config", "connect", each OVSDB call).
/// </summary>
internal sealed class FaultPlugin(OvsSandbox sandbox, string network = "net1")
{
    public OvsSandbox Sandbox { get; } = sandbox;

    public string Network { get; } = network;

    /// <summary>The endpoint calls use; by default the sandbox's socket.</summary>
    public string Endpoint { get; init; } = sandbox.DbEndpoint;

    public int TimeoutMs { get; init; } = 10_000;

    public string FlowRevalidation { get; init; } = sandbox.HasVswitchd ? "purge" : "none";

    public string VswitchdCtl { get; init; } = sandbox.VswitchdCtl;

    public static JsonArray Producer(string mirror, params string[] selection) =>
        [new JsonObject { ["name"] = mirror, ["selection"] = new JsonArray([.. selection.Select(s => (JsonNode)s)]) }];

    public static JsonArray Consumer(string mirror) => [new JsonObject { ["name"] = mirror, ["output"] = "port" }];

    public JsonObject Config(string bridge, JsonNode? mirrors, string? hostPort = null)
    {
        var config = new JsonObject
        {
            ["cniVersion"] = "1.1.0",
            ["name"] = Network,
            ["type"] = "ovs-mirror",
            ["bridge"] = bridge,
            ["socket_file"] = Endpoint,
            ["flowRevalidation"] = FlowRevalidation,
            ["vswitchdCtl"] = VswitchdCtl,
            ["timeoutMs"] = TimeoutMs,
        };
        if (mirrors is not null)
        {
            config["mirrors"] = mirrors.DeepClone();
        }

        if (hostPort is not null)
        {
            config["prevResult"] = new JsonObject
            {
                ["cniVersion"] = "1.1.0",
                ["interfaces"] = new JsonArray
                {
                    new JsonObject { ["name"] = hostPort, ["mac"] = "0a:58:0a:f4:00:05" },
                    new JsonObject { ["name"] = "eth1", ["mac"] = "0a:58:0a:f4:00:06", ["sandbox"] = "/var/run/netns/pod" },
                },
            };
        }

        return config;
    }

    public FaultRun Add(string bridge, string hostPort, JsonNode mirrors, string containerId, Action<string>? onStep = null) =>
        Run("ADD", Config(bridge, mirrors, hostPort), containerId, onStep);

    public FaultRun Del(string bridge, string containerId, Action<string>? onStep = null) =>
        Run("DEL", Config(bridge, null), containerId, onStep);

    public FaultRun Check(string bridge, string hostPort, JsonNode mirrors, string containerId) =>
        Run("CHECK", Config(bridge, mirrors, hostPort), containerId);

    public FaultRun Status(string bridge) => Run("STATUS", Config(bridge, null), "status");

    /// <summary>GC keeping only <paramref name="valid"/> container ids (ifname eth1).</summary>
    public FaultRun Gc(string bridge, IEnumerable<string> valid)
    {
        var config = Config(bridge, null);
        config["cni.dev/valid-attachments"] = new JsonArray(
            [.. valid.Select(id => (JsonNode)new JsonObject { ["containerID"] = id, ["ifname"] = "eth1" })]);
        return Run("GC", config, "gc");
    }

    public FaultRun Run(string command, JsonObject config, string containerId, Action<string>? onStep = null, string? cniArgs = null) =>
        RunRaw(command, Encoding.UTF8.GetBytes(config.ToJsonString()), containerId, onStep, cniArgs);

    /// <summary>One call with <paramref name="stdin"/> as it is (it need not be JSON).</summary>
    public FaultRun RunRaw(string command, byte[] stdin, string containerId, Action<string>? onStep = null, string? cniArgs = null)
    {
        var env = Environment(command, containerId, cniArgs);
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var clock = Stopwatch.StartNew();
        var exit = new CniDispatcher(env.GetValueOrDefault, new MemoryStream(stdin), stdout, stderr, "ovs-mirror")
            .Run(new OvsMirrorPlugin(stderr, onStep), CancellationToken.None);
        return new FaultRun($"{command} {containerId}", exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString(), clock.Elapsed);
    }

    public static Dictionary<string, string> Environment(string command, string containerId, string? cniArgs = null) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = "/var/run/netns/pod",
        ["CNI_IFNAME"] = "eth1",
        ["CNI_PATH"] = "/opt/cni/bin",
        ["CNI_ARGS"] = cniArgs ?? "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=pod-" + containerId,
    };
}
