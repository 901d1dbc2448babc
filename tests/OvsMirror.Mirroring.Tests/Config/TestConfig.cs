using System.Text.Json.Nodes;
using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;

namespace OvsMirror.Mirroring.Tests.Config;

/// <summary>Builds a plugin's stdin config around its plugin keys, as the runtime would, and parses it.</summary>
internal static class TestConfig
{
    public const string Program = "ovs-mirror";

    /// <summary>The stdin config: cniVersion, name and type, then <paramref name="pluginKeysJson"/>'s keys.</summary>
    public static JsonObject Raw(string pluginKeysJson, string type = Program)
    {
        var raw = new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = "net1", ["type"] = type };
        var keys = JsonNode.Parse(pluginKeysJson)!.AsObject();
        foreach (var (key, value) in keys.ToList())
        {
            keys.Remove(key);
            raw[key] = value;
        }

        return raw;
    }

    /// <summary>Parses the config; <paramref name="cniArgsJson"/>, when given, goes in as <c>args.cni</c> as Multus puts it.</summary>
    public static PluginConfig Parse(string pluginKeysJson, string? cniArgsJson = null, string type = Program, string program = Program)
    {
        var raw = Raw(pluginKeysJson, type);
        JsonObject? args = null;
        if (cniArgsJson is not null)
        {
            args = new JsonObject { ["cni"] = JsonNode.Parse(cniArgsJson) };
            raw["args"] = args;
        }

        return PluginConfigParser.Parse(raw, args, type, program);
    }

    /// <summary>Parses the config and returns the error it must raise.</summary>
    public static CniException Fail(string pluginKeysJson, string? cniArgsJson = null, string type = Program, string program = Program)
    {
        var act = () => Parse(pluginKeysJson, cniArgsJson, type, program);
        return act.Should().ThrowExactly<CniException>().Which;
    }
}
