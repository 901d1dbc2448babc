using System.Text;
using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Tests.Cli;

/// <summary>Runs the operator CLI and the plugin in-process, as the executable does, against a sandbox.</summary>
internal sealed class CliHarness(OvsSandbox sandbox)
{
    public OvsSandbox Sandbox { get; } = sandbox;

    public (int Exit, string Stdout, string Stderr) Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CtlCli.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary><c>list -o json</c> of one bridge, parsed.</summary>
    public JsonObject ListJson(params string[] scope)
    {
        var (exit, stdout, stderr) = Cli(["list", "-o", "json", .. scope]);
        exit.Should().Be(0, stderr);
        return JsonNode.Parse(stdout)!.AsObject();
    }

    public JsonObject BridgeConfig(string bridge, JsonArray mirrors) => new()
    {
        ["cniVersion"] = "1.0.0",
        ["name"] = "net1",
        ["type"] = "ovs-mirror",
        ["bridge"] = bridge,
        ["socket_file"] = Sandbox.DbEndpoint,
        ["flowRevalidation"] = Sandbox.HasVswitchd ? "purge" : "none",
        ["vswitchdCtl"] = Sandbox.VswitchdCtl,
        ["mirrors"] = mirrors.DeepClone(),
    };

    /// <summary>ADD through the dispatcher, with an ovs-cni-shaped prevResult naming <paramref name="hostPort"/>.</summary>
    public void Add(JsonObject config, string hostPort, string containerId, string ifName, string podNamespace, string pod)
    {
        var copy = config.DeepClone().AsObject();
        copy["prevResult"] = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["interfaces"] = new JsonArray { new JsonObject { ["name"] = hostPort }, new JsonObject { ["name"] = ifName, ["sandbox"] = "/var/run/netns/x" } },
        };
        Plugin("ADD", copy, containerId, ifName, $"IgnoreUnknown=1;K8S_POD_NAMESPACE={podNamespace};K8S_POD_NAME={pod};K8S_POD_UID=uid-{pod}");
    }

    /// <summary>
    /// LSP pod1.default on switch sw0, and the plugin's ADD (backend ovn) making it a source of mirror1, a GRE mirror
    /// (index 99) to 172.19.0.21, as pod default/pod1 (uid u1), container c1, interface net1.
    /// </summary>
    public async Task AttachOvnPodAsync()
    {
        await Sandbox.NbctlAsync("ls-add", "sw0");
        await Sandbox.NbctlAsync("lsp-add", "sw0", "pod1.default");
        var config = new JsonObject
        {
            ["cniVersion"] = "1.0.0", ["name"] = "attachnet", ["type"] = "ovs-mirror", ["backend"] = "ovn", ["ovn_nb"] = Sandbox.NbEndpoint,
            ["mirrors"] = new JsonArray { new JsonObject { ["name"] = "mirror1", ["type"] = "gre", ["index"] = 99, ["filter"] = "from-lport", ["sink"] = "172.19.0.21" } },
            ["prevResult"] = new JsonObject { ["cniVersion"] = "1.0.0", ["interfaces"] = new JsonArray { new JsonObject { ["name"] = "veth-pod1" } } },
        };
        Plugin("ADD", config, "c1", "net1", "K8S_POD_NAMESPACE=default;K8S_POD_NAME=pod1;K8S_POD_UID=u1");
    }

    public void Plugin(string command, JsonObject config, string containerId, string ifName, string cniArgs)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = "/var/run/netns/x",
            ["CNI_IFNAME"] = ifName,
            ["CNI_PATH"] = "/opt/cni/bin",
            ["CNI_ARGS"] = cniArgs,
        };
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = CniEntryPoint.Run(env.GetValueOrDefault, new MemoryStream(Encoding.UTF8.GetBytes(config.ToJsonString())), stdout, stderr, "ovs-mirror");
        exit.Should().Be(0, "{0} should succeed: {1} {2}", command, Encoding.UTF8.GetString(stdout.ToArray()), stderr);
    }

    /// <summary>Polls a condition until it holds, bounded: the bound only rules out a hang.</summary>
    public static async Task<T> WaitForAsync<T>(Func<T?> read, Func<T, bool> condition, TimeSpan bound, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + bound;
        T? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = read();
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what} did not happen within {bound.TotalSeconds} s; last seen: {last}");
    }
}
