using System.Text.Json.Nodes;

namespace OvsMirror.Cni.Tests;

/// <summary>Network configurations as a runtime would pass them to the second plugin of a chain.</summary>
internal static class TestConfigs
{
    public const string Secret = "S3CRET-do-not-leak-7f1c";

    /// <summary>A full ovs-cni style result: interfaces, ips, routes and dns, plus a key we don't know.</summary>
    public const string PrevResult = """
        {
          "cniVersion": "1.1.0",
          "interfaces": [
            { "name": "veth1f2e3d4", "mac": "02:42:ac:11:00:02" },
            { "name": "net1", "mac": "0a:58:0a:f4:00:05", "sandbox": "/var/run/netns/cni-test", "mtu": 1450 }
          ],
          "ips": [
            { "address": "10.244.0.5/24", "gateway": "10.244.0.1", "interface": 1 },
            { "address": "fd00:10:244::5/64", "gateway": "fd00:10:244::1", "interface": 1 }
          ],
          "routes": [
            { "dst": "0.0.0.0/0", "gw": "10.244.0.1" },
            { "dst": "192.168.0.0/16", "gw": "10.244.0.254", "mtu": 1400, "priority": 100, "table": 10, "scope": 0 }
          ],
          "dns": {
            "nameservers": [ "10.96.0.10" ],
            "domain": "cluster.local",
            "search": [ "default.svc.cluster.local", "svc.cluster.local" ],
            "options": [ "ndots:5" ]
          },
          "x-vendor": { "note": "ünïcødé & <html> \"quotes\"", "n": 1.5e3 }
        }
        """;

    /// <summary>A chained ovs-mirror config of <paramref name="version"/>, with a secret among the plugin's own keys.</summary>
    public static JsonObject Object(string version = "1.0.0") => new()
    {
        ["cniVersion"] = version,
        ["name"] = "mirror-net",
        ["type"] = "ovs-mirror",
        ["bridge"] = "br1",
        ["password"] = Secret,
        ["mirrors"] = new JsonArray(new JsonObject { ["name"] = "mirror-1", ["selection"] = new JsonArray("src_port") }),
        ["prevResult"] = JsonNode.Parse(PrevResult),
        [NetworkConfig.ValidAttachmentsKey] = new JsonArray(
            new JsonObject { ["containerID"] = "aaa", ["ifname"] = "net1" },
            new JsonObject { ["containerID"] = "bbb", ["ifname"] = "eth0" }),
    };

    public static string Json(string version = "1.0.0") => Object(version).ToJsonString();

    public static string With(string key, JsonNode? value, string version = "1.0.0")
    {
        var config = Object(version);
        config[key] = value;
        return config.ToJsonString();
    }

    public static string Without(string key, string version = "1.0.0")
    {
        var config = Object(version);
        config.Remove(key);
        return config.ToJsonString();
    }
}
