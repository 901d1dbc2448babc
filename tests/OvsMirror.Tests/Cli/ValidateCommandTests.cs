using System.Text;
using System.Text.Json.Nodes;
using OvsMirror.Tests.EndToEnd;

namespace OvsMirror.Tests.Cli;

/// <summary>
/// <c>ovs-mirrorctl validate</c>: every file of cni-conf-examples, and bad configs whose answer is checked against the
/// plugin's own: the same stdin run through the CNI entry point as ADD (the oracle is the plugin, not validate's code).
/// </summary>
public sealed class ValidateCommandTests
{
    private static readonly string Examples = Path.Combine(RepoPaths.Root, "cni-conf-examples");

    /// <summary>The README's Mirrors column of each example file (cni-conf-examples/README.md, "Files").</summary>
    private static readonly Dictionary<string, string> ReadmeMirrors = File.ReadAllLines(Path.Combine(Examples, "README.md"))
        .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
        .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
        .ToDictionary(c => c[1].Trim('`'), c => c[3]);

    public static TheoryData<string> NetworkFiles() =>
        new(Directory.GetFiles(Examples).Select(Path.GetFileName).Where(f => f!.EndsWith(".conflist", StringComparison.Ordinal)
            || f.EndsWith(".yaml", StringComparison.Ordinal)).Order(StringComparer.Ordinal)!);

    public static TheoryData<string> CniArgsFiles() =>
        new(Directory.GetFiles(Examples, "*.cni-args.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(NetworkFiles))]
    public void EveryExampleNetworkFile_IsValid_ExceptThePodTheNadRefuses(string file)
    {
        var (exit, stdout, stderr) = Run("validate", "-o", "json", Path.Combine(Examples, file));

        var findings = JsonNode.Parse(stdout)!["findings"]!.AsArray();
        findings.Should().NotBeEmpty(stderr);
        var invalid = findings.Where(f => !f!["valid"]!.GetValue<bool>()).ToList();
        if (file == "cniargs-policy.yaml")
        {
            // The README's row: ovs-rogue asks for mirror-1, which allowedPodMirrors (ids-*) does not allow.
            exit.Should().Be(3);
            invalid.Should().ContainSingle().Which!["where"]!.GetValue<string>().Should().StartWith("Deployment emu-cni/ovs-rogue eth1");
            invalid[0]!["code"]!.GetValue<int>().Should().Be(101);
            return;
        }

        exit.Should().Be(0, stdout);
        invalid.Should().BeEmpty();
        if (ReadmeMirrors[file] == "no ovs-mirror")
        {
            findings.Should().OnlyContain(f => f!["message"]!.GetValue<string>().Contains("no ovs-mirror plugin"));
        }
    }

    [Theory]
    [MemberData(nameof(CniArgsFiles))]
    public void EveryExampleCniArgsFile_WithItsConflist_GetsTheReadmeAnswer(string file)
    {
        string conflist = file[..file.IndexOf('.', StringComparison.Ordinal)] + ".conflist";

        var (exit, stdout, _) = Run("validate", "-o", "json", Path.Combine(Examples, conflist), "--cni-args", Path.Combine(Examples, file));

        var finding = JsonNode.Parse(stdout)!["findings"]!.AsArray().Should().ContainSingle().Subject!;
        if (ReadmeMirrors[file] == "refused 101")
        {
            exit.Should().Be(3);
            finding["code"]!.GetValue<int>().Should().Be(101);
            return;
        }

        exit.Should().Be(0, stdout);
        // The README's Mirrors column starts each mirror with "NAME ROLE".
        var expected = ReadmeMirrors[file].Split("; ").Select(m => m.Split(' ')).Select(p => $"{p[0]} ({p[1]})");
        finding["message"]!.GetValue<string>().Should().EndWith(string.Join(", ", expected));
    }

    public static TheoryData<string, string, bool> BadConfigs() => new()
    {
        // name, the ovs-mirror plugin's JSON, whether a plugin runs before it
        { "unknown selection", """{"type":"ovs-mirror","bridge":"br1","mirrors":[{"name":"m1","selection":["sideways"]}]}""", true },
        { "an OVN key under backend ovs", """{"type":"ovs-mirror","bridge":"br1","ovn_nb":"tcp:10.0.0.1:6641","mirrors":[{"name":"m1","selection":["src_port"]}]}""", true },
        { "a NUL in a mirror name", """{"type":"ovs-mirror","bridge":"br1","mirrors":[{"name":"m\u00001","selection":["src_port"]}]}""", true },
        { "first in its chain", """{"type":"ovs-mirror","bridge":"br1","mirrors":[{"name":"m1","selection":["src_port"]}]}""", false },
        { "no bridge", """{"type":"ovs-mirror","mirrors":[{"name":"m1","selection":["src_port"]}]}""", true },
        { "consumer and producer of one mirror", """{"type":"ovs-mirror","bridge":"br1","mirrors":[{"name":"m1","selection":["src_port"]},{"name":"m1","output":"port"}]}""", true },
        { "timeoutMs out of range", """{"type":"ovs-mirror","bridge":"br1","timeoutMs":0,"mirrors":[{"name":"m1","selection":["src_port"]}]}""", true },
        { "backend unknown", """{"type":"ovs-mirror","backend":"ovs2","bridge":"br1"}""", true },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void BadConfig_GetsTheCodeAndMessageThePluginGivesAtAdd(string name, string plugin, bool chained)
    {
        var pluginConfig = JsonNode.Parse(plugin)!.AsObject();
        var plugins = new JsonArray();
        if (chained)
        {
            plugins.Add(new JsonObject { ["type"] = "ovs", ["bridge"] = "br1" });
        }

        plugins.Add(pluginConfig.DeepClone());
        var conflist = new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = "net1", ["plugins"] = plugins };
        using var dir = new TempDir();
        var path = dir.Write("net1.conflist", conflist.ToJsonString());

        var (exit, stdout, _) = Run("validate", "-o", "json", path);

        exit.Should().Be(3, name);
        var finding = JsonNode.Parse(stdout)!["findings"]!.AsArray().Should().ContainSingle().Subject!;
        var answer = PluginAddAnswer(pluginConfig, chained);
        finding["code"]!.GetValue<int>().Should().Be(answer["code"]!.GetValue<int>(), name);
        finding["message"]!.GetValue<string>().Should().Be(answer["msg"]!.GetValue<string>(), name);
        finding["details"]?.GetValue<string>().Should().Be(answer["details"]?.GetValue<string>(), name);
    }

    [Fact]
    public void UnreadableInputs_AreFindingsWithCodeSix_AndACniArgsFileAloneSaysHowToCheckIt()
    {
        using var dir = new TempDir();
        var json = dir.Write("broken.conflist", "{\"cniVersion\": \"1.0.0\",\n \"plugins\": [ }");
        var duplicate = dir.Write("dup.conflist", "{\"cniVersion\": \"1.0.0\", \"name\": \"a\", \"name\": \"b\", \"plugins\": []}");
        var yaml = dir.Write("broken.yaml", "kind: NetworkAttachmentDefinition\nmetadata: {name: x\nspec: [\n");
        var args = dir.Write("pod.cni-args.json", """{"mirrors":[{"name":"m1","selection":["src_port"]}]}""");

        var (exit, stdout, _) = Run("validate", "-o", "json", json, duplicate, yaml, args);

        exit.Should().Be(3);
        var findings = JsonNode.Parse(stdout)!["findings"]!.AsArray();
        findings.Select(f => f!["code"]!.GetValue<int>()).Should().Equal(6, 6, 6, 7);
        findings[0]!["details"]!.GetValue<string>().Should().StartWith("at line 2");
        findings[1]!["details"]!.GetValue<string>().Should().Contain("a key twice").And.Contain("line 1");
        findings[2]!["message"]!.GetValue<string>().Should().StartWith("not valid YAML at line");
        findings[3]!["message"]!.GetValue<string>().Should().Contain("--cni-args " + args);
    }

    [Fact]
    public void Table_IsTheDefault_AndAMissingFileIsACommandLineFailure()
    {
        var (exit, stdout, _) = Run("validate", Path.Combine(Examples, "nad-tc1.yaml"));
        exit.Should().Be(0);
        stdout.Split('\n')[0].Should().MatchRegex("^FILE +WHERE +RESULT +MESSAGE$");
        stdout.Should().Contain("NAD emu-cni/ovs-vlan100-prod-mir1-prod-mir2 plugins[1]").And.Contain("mirror-1 (producer), mirror-2 (producer)");

        var missing = Run("validate", "/nonexistent/net.conflist");
        missing.Exit.Should().Be(1);
        missing.Stderr.Should().Contain("/nonexistent/net.conflist");
    }

    /// <summary>The plugin's answer to ADD with this config, as the runtime builds its stdin (CNI SPEC §Section 3).</summary>
    private static JsonObject PluginAddAnswer(JsonObject plugin, bool chained)
    {
        var stdin = plugin.DeepClone().AsObject();
        stdin["cniVersion"] = "1.0.0";
        stdin["name"] = "net1";
        if (chained)
        {
            stdin["prevResult"] = new JsonObject
            {
                ["cniVersion"] = "1.0.0",
                ["interfaces"] = new JsonArray { new JsonObject { ["name"] = "veth-host" }, new JsonObject { ["name"] = "eth1", ["sandbox"] = "/var/run/netns/x" } },
            };
        }

        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = "c1", ["CNI_NETNS"] = "/var/run/netns/x", ["CNI_IFNAME"] = "eth1",
            ["CNI_PATH"] = "/opt/cni/bin", ["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=p;K8S_POD_UID=u",
        };
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = CniEntryPoint.Run(env.GetValueOrDefault, new MemoryStream(Encoding.UTF8.GetBytes(stdin.ToJsonString())), stdout,
            stderr, plugin["type"]!.GetValue<string>());
        exit.Should().NotBe(0, "the plugin must refuse this config before it connects");
        return JsonNode.Parse(stdout.ToArray())!.AsObject();
    }

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CtlCli.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private sealed class TempDir : IDisposable
    {
        private readonly string _path = Directory.CreateTempSubdirectory("ovs-mirror-validate-").FullName;

        public string Write(string name, string text)
        {
            var path = Path.Combine(_path, name);
            File.WriteAllText(path, text);
            return path;
        }

        public void Dispose() => Directory.Delete(_path, recursive: true);
    }
}
