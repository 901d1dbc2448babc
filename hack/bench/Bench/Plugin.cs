using System.Text;
using System.Text.Json;

namespace OvsMirror.Bench;

/// <summary>Absolute paths of everything the harness runs.</summary>
internal sealed record Tools(string OvsMirror, string Hello, string True, string OvsVsctl, string OvsAppctl, string SandboxScript, string RssProbe,
    string? OvsCni = null)
{
    public static string Which(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"]))
        {
            var path = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (File.Exists(path))
            {
                return Path.GetFullPath(path);
            }
        }

        throw new BenchException($"{name} not found on PATH (apt-get install openvswitch-switch; hack/test.sh installs it)");
    }
}

/// <summary>A mirror entry of the plugin config: a producer's selection, or the consumer's output port.</summary>
internal sealed record MirrorSpec(string Name, bool Consumer, params string[] Selection)
{
    public static MirrorSpec Producer(string name, params string[] selection) => new(name, false, selection);

    public static MirrorSpec Output(string name) => new(name, true);
}

/// <summary>Builds ovs-mirror CNI calls as kubelet/libcni would make them: CNI_* env plus the config on stdin.</summary>
internal sealed class Plugin(Tools tools)
{
    public Command Call(string command, string containerId, string config, string ifName = "eth1") =>
        new(tools.OvsMirror, [], new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = "/var/run/netns/bench-" + containerId,
            ["CNI_IFNAME"] = ifName,
            ["CNI_PATH"] = "/opt/cni/bin",
        }, config);

    /// <summary>A call of ovs-cni's own <c>ovs-mirror-producer</c> (the peer, hack/bench/ovs-cni.sh), env as for ovs-mirror.</summary>
    public Command OvsCniCall(string command, string containerId, string config, string ifName = "eth1") =>
        Call(command, containerId, config, ifName) with { File = tools.OvsCni ?? throw new BenchException("no ovs-cni binary") };

    /// <summary>ovs-cni's producer schema: <c>mirrors: [{name, ingress, egress}]</c>; prevResult's host interface is <paramref name="port"/>.</summary>
    public static string OvsCniConfig(Sandbox sandbox, string bridge, string port, string mirror)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("cniVersion", "0.4.0");
            w.WriteString("name", "bench-net");
            w.WriteString("type", "ovs-mirror-producer");
            w.WriteString("bridge", bridge);
            w.WriteString("socket_file", sandbox.Db);
            w.WriteStartArray("mirrors");
            w.WriteStartObject();
            w.WriteString("name", mirror);
            w.WriteBoolean("ingress", true);
            w.WriteBoolean("egress", false);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("prevResult");
            w.WriteString("cniVersion", "0.4.0");
            w.WriteStartArray("interfaces");
            w.WriteStartObject();
            w.WriteString("name", port);
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("name", "eth1");
            w.WriteString("sandbox", "/var/run/netns/bench");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The network config with a prevResult whose host interface (no sandbox) is <paramref name="port"/>.</summary>
    /// <param name="vswitchdCtl">null: "flowRevalidation": "none"; else revalidator/purge on this unixctl socket.</param>
    public static string Config(Sandbox sandbox, string bridge, string port, string? vswitchdCtl, params MirrorSpec[] mirrors)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("cniVersion", "1.0.0");
            w.WriteString("name", "bench-net");
            w.WriteString("type", "ovs-mirror");
            w.WriteString("bridge", bridge);
            w.WriteString("socket_file", sandbox.Db);
            if (vswitchdCtl is null)
            {
                w.WriteString("flowRevalidation", "none");
            }
            else
            {
                w.WriteString("flowRevalidation", "purge");
                w.WriteString("vswitchdCtl", vswitchdCtl);
            }

            w.WriteStartArray("mirrors");
            foreach (var m in mirrors)
            {
                w.WriteStartObject();
                w.WriteString("name", m.Name);
                if (m.Consumer)
                {
                    w.WriteString("output", "port");
                }
                else
                {
                    w.WriteStartArray("selection");
                    foreach (var s in m.Selection)
                    {
                        w.WriteStringValue(s);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("prevResult");
            w.WriteString("cniVersion", "1.0.0");
            w.WriteStartArray("interfaces");
            w.WriteStartObject();
            w.WriteString("name", port);
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("name", "eth1");
            w.WriteString("sandbox", "/var/run/netns/bench");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
