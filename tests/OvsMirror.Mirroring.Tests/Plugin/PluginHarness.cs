using System.Text;
using System.Text.Json.Nodes;
using OvsMirror.Cni;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// Runs the plugin in-process, exactly as the executable does (dispatcher + plugin over an injected
/// env, stdin and stdout), against a real OVSDB. In-process calls on separate threads let race tests
/// release many callers from one barrier so their transactions meet in the server.
/// </summary>
internal sealed class PluginHarness(OvsSandbox sandbox, string network = "net1")
{
    public OvsSandbox Sandbox { get; } = sandbox;

    public string Network { get; } = network;

    /// <summary>The plugin config; <paramref name="extra"/> keys are merged in (null values remove a key).</summary>
    public JsonObject Config(string bridge, JsonNode? mirrors, string cniVersion = "1.0.0", JsonObject? extra = null)
    {
        var config = new JsonObject
        {
            ["cniVersion"] = cniVersion,
            ["name"] = Network,
            ["type"] = "ovs-mirror",
            ["bridge"] = bridge,
            ["socket_file"] = Sandbox.DbEndpoint,
            ["flowRevalidation"] = Sandbox.HasVswitchd ? "purge" : "none",
            ["vswitchdCtl"] = Sandbox.VswitchdCtl,
        };
        if (mirrors is not null)
        {
            config["mirrors"] = mirrors.DeepClone();
        }

        foreach (var (key, value) in extra ?? [])
        {
            if (value is null)
            {
                config.Remove(key);
            }
            else
            {
                config[key] = value.DeepClone();
            }
        }

        return config;
    }

    /// <summary>An ovs-cni-shaped result: host interface (no sandbox), container interface, ips, routes, dns.</summary>
    public static JsonObject PrevResult(string hostPort, string cniVersion = "1.0.0") => new()
    {
        ["cniVersion"] = cniVersion,
        ["interfaces"] = new JsonArray
        {
            new JsonObject { ["name"] = hostPort, ["mac"] = "0a:58:0a:f4:00:05" },
            new JsonObject { ["name"] = "eth1", ["mac"] = "0a:58:0a:f4:00:06", ["sandbox"] = "/var/run/netns/pod" },
        },
        ["ips"] = new JsonArray { new JsonObject { ["address"] = "10.244.0.5/24", ["gateway"] = "10.244.0.1", ["interface"] = 1 } },
        ["routes"] = new JsonArray { new JsonObject { ["dst"] = "0.0.0.0/0", ["gw"] = "10.244.0.1" } },
        ["dns"] = new JsonObject { ["nameservers"] = new JsonArray("10.96.0.10"), ["search"] = new JsonArray("svc.cluster.local") },
    };

    public static JsonObject WithPrevResult(JsonObject config, string hostPort)
    {
        var copy = config.DeepClone().AsObject();
        copy["prevResult"] = PrevResult(hostPort, copy["cniVersion"]!.GetValue<string>());
        return copy;
    }

    /// <summary>Puts the pod's cni-args where Multus puts them: args.cni.</summary>
    public static JsonObject WithCniArgs(JsonObject config, JsonObject cniArgs)
    {
        var copy = config.DeepClone().AsObject();
        copy["args"] = new JsonObject { ["cni"] = cniArgs.DeepClone() };
        return copy;
    }

    public PluginRun Run(string command, JsonObject config, string containerId = "c1", string ifName = "eth1",
        string programName = "ovs-mirror", string? cniArgs = null) =>
        RunRaw(command, Encoding.UTF8.GetBytes(config.ToJsonString()), containerId, ifName, programName, cniArgs);

    /// <summary>CNI_ARGS as containerd 1.6 + Multus 4.0.2 send it to a delegate (shared/reference/k8s-node.md).</summary>
    public static string MultusDelegateArgs(string podNamespace, string podName, string containerId)
    {
        string pod = $"K8S_POD_NAMESPACE={podNamespace};K8S_POD_NAME={podName};K8S_POD_INFRA_CONTAINER_ID={containerId};K8S_POD_UID=uid-{containerId}";
        return $"IgnoreUnknown=true;{pod};{pod};IgnoreUnknown=1";
    }

    /// <param name="cniArgs">CNI_ARGS; by default what a Multus delegate gets from containerd 1.6 + Multus 4.0.2 (every
    /// key twice, IgnoreUnknown as "true" and "1") for namespace default and pod pod-CONTAINERID.</param>
    /// <param name="mark">Receives the plugin's step marks ("committed", "revalidate", ...), as OVS_MIRROR_TIMING does.</param>
    public PluginRun RunRaw(string command, byte[] stdin, string containerId = "c1", string ifName = "eth1",
        string programName = "ovs-mirror", string? cniArgs = null, Action<string>? mark = null)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = "/var/run/netns/pod",
            ["CNI_IFNAME"] = ifName,
            ["CNI_PATH"] = "/opt/cni/bin:/opt/cni/bin",
            ["CNI_ARGS"] = cniArgs ?? MultusDelegateArgs("default", "pod-" + containerId, containerId),
        };
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = new CniDispatcher(env.GetValueOrDefault, new MemoryStream(stdin), stdout, stderr, programName)
            .Run(new OvsMirrorPlugin(stderr, mark), CancellationToken.None);
        return new PluginRun(exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    public PluginRun Add(string bridge, string hostPort, JsonNode? mirrors, string containerId = "c1", string ifName = "eth1") =>
        Run("ADD", WithPrevResult(Config(bridge, mirrors), hostPort), containerId, ifName);

    public PluginRun Del(string bridge, string containerId = "c1", string ifName = "eth1") =>
        Run("DEL", Config(bridge, null), containerId, ifName);
}
