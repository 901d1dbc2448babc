using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// hack/cnidriver does what Multus and kubelet do with a pod's network selection element, checked with a recording
/// plugin (a shell script installed under two names) that keeps every stdin and CNI_* environment it gets.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CniDriverTests : IDisposable
{
    private const string Recorder = """
        #!/bin/bash
        # records stdin and the CNI environment per plugin name and command; prints prevResult (or a minimal result)
        name=$(basename "$0")
        stdin=$(cat)
        printf '%s' "$stdin" > "$RECORD_DIR/$name.$CNI_COMMAND.stdin"
        env | grep '^CNI_' | sort > "$RECORD_DIR/$name.$CNI_COMMAND.env"
        if [ -n "${RECORD_FAIL:-}" ] && [ "$name" = "$RECORD_FAIL" ]; then
          jq -cn --argjson s "$stdin" '{cniVersion: $s.cniVersion, code: 7, msg: "recorder refuses", details: "as asked"}'
          exit 1
        fi
        case "$CNI_COMMAND" in
          ADD) jq -c 'if .prevResult then .prevResult + {cniVersion} else {cniVersion, interfaces: [{name: "rec0"}], ips: [], dns: {}} end' <<<"$stdin" ;;
          VERSION) echo '{"cniVersion":"1.0.0","supportedVersions":["0.4.0","1.0.0"]}' ;;
        esac
        exit 0
        """;

    private readonly string dir;
    private readonly string bin;
    private readonly string records;

    public CniDriverTests()
    {
        RepoPaths.EnsureBuilt();
        dir = Directory.CreateTempSubdirectory("cnidriver-test.").FullName;
        bin = Path.Combine(dir, "bin");
        records = Path.Combine(dir, "records");
        Directory.CreateDirectory(bin);
        Directory.CreateDirectory(records);
        var script = Path.Combine(bin, "recorder");
        File.WriteAllText(script, Recorder.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(bin, "rec-a"), script);
        File.CreateSymbolicLink(Path.Combine(bin, "rec-b"), script);
    }

    [Fact]
    public async Task Add_InjectsTheCniArgsIntoEveryPluginAsArgsCni_MergingIntoAnExistingArgsCni()
    {
        var conflist = WriteConflist(new JsonObject
        {
            ["type"] = "rec-b",
            ["args"] = new JsonObject { ["cni"] = new JsonObject { ["keep"] = 1, ["mirrors"] = "replaced" }, ["other"] = "kept" },
        });
        var cniArgs = RepoPaths.Example("cniargs-tc2-ovs-vlan100-mir.ovs-prod-1.eth1.cni-args.json");
        var expected = JsonNode.Parse(File.ReadAllText(cniArgs))!;

        var r = await DriverAsync("add", conflist, "--cni-args", cniArgs);

        r.Succeeded.Should().BeTrue(r.StandardOutput + r.StandardError);
        var a = Stdin("rec-a", "ADD");
        var b = Stdin("rec-b", "ADD");
        JsonNode.DeepEquals(a["args"]!["cni"], expected).Should().BeTrue("rec-a gets the cni-args as args.cni: {0}", a.ToJsonString());
        b["args"]!["cni"]!["keep"]!.GetValue<int>().Should().Be(1, "keys of an existing args.cni stay (Multus injectCNIArgs)");
        JsonNode.DeepEquals(b["args"]!["cni"]!["mirrors"], expected["mirrors"]).Should().BeTrue("the pod's keys win: {0}", b.ToJsonString());
        b["args"]!["other"]!.GetValue<string>().Should().Be("kept");
        b["prevResult"]!["interfaces"]![0]!["name"]!.GetValue<string>().Should().Be("rec0", "libcni chains the results");
        JsonNode.Parse(r.StandardOutput)!["interfaces"]![0]!["name"]!.GetValue<string>().Should().Be("rec0", "ADD prints the result");
    }

    [Fact]
    public async Task Add_SetsCniArgsAsContainerdAndMultusDo_AndIpAppendsTheStaticIpamKey()
    {
        var conflist = WriteConflist(new JsonObject { ["type"] = "rec-b" });

        var r = await DriverAsync("add", conflist, "--ip", "10.1.2.3/24");

        r.Succeeded.Should().BeTrue(r.StandardOutput + r.StandardError);
        var env = Env("rec-a", "ADD");
        // As captured from containerd 1.6 + Multus 4.0.2 (shared/reference/k8s-node.md): both copies of every key.
        const string Pod = "K8S_POD_NAMESPACE=emu-cni;K8S_POD_NAME=ovs-prod-1;K8S_POD_INFRA_CONTAINER_ID=cid-1;" +
            "K8S_POD_UID=0b8e5d2c-7a6f-4e43-9d1b-2f3a4c5d6e7f";
        env["CNI_ARGS"].Should().Be($"IgnoreUnknown=true;{Pod};{Pod};IgnoreUnknown=1;IP=10.1.2.3/24");
        env["CNI_IFNAME"].Should().Be("eth1");
        env["CNI_CONTAINERID"].Should().Be("cid-1");
        env["CNI_NETNS"].Should().Be("/var/run/netns/fake-pod");
        env["CNI_PATH"].Should().Be($"{bin}:{bin}", "Multus repeats CNI_PATH's entries");
        Env("rec-b", "ADD")["CNI_ARGS"].Should().Be(env["CNI_ARGS"], "every plugin of the chain gets the same CNI_ARGS");

        (await DriverAsync("del", conflist)).Succeeded.Should().BeTrue();
        Env("rec-a", "DEL")["CNI_ARGS"].Should().Be($"IgnoreUnknown=1;{Pod};IgnoreUnknown=true;{Pod}", "the order differs between calls");
    }

    [Fact]
    public async Task Add_WithKubeletArgs_SendsContainerdsSingleCopy()
    {
        var conflist = WriteConflist(new JsonObject { ["type"] = "rec-b" });

        var r = await DriverAsync("add", conflist, "--k8s-args", "kubelet");

        r.Succeeded.Should().BeTrue(r.StandardOutput + r.StandardError);
        Env("rec-a", "ADD")["CNI_ARGS"].Should().Be(
            "IgnoreUnknown=1;K8S_POD_NAMESPACE=emu-cni;K8S_POD_NAME=ovs-prod-1;K8S_POD_INFRA_CONTAINER_ID=cid-1;" +
            "K8S_POD_UID=0b8e5d2c-7a6f-4e43-9d1b-2f3a4c5d6e7f");
    }

    [Fact]
    public async Task CheckAndDel_GetTheCachedAddResultAsPrevResult_AndRunInReverseOrderForDel()
    {
        var conflist = WriteConflist(new JsonObject { ["type"] = "rec-b" });
        (await DriverAsync("add", conflist)).Succeeded.Should().BeTrue();

        var check = await DriverAsync("check", conflist);
        var del = await DriverAsync("del", conflist);

        check.Succeeded.Should().BeTrue(check.StandardOutput + check.StandardError);
        del.Succeeded.Should().BeTrue(del.StandardOutput + del.StandardError);
        Stdin("rec-a", "CHECK")["prevResult"]!["interfaces"]![0]!["name"]!.GetValue<string>().Should().Be("rec0");
        Stdin("rec-b", "DEL")["prevResult"]!["interfaces"]![0]!["name"]!.GetValue<string>().Should().Be("rec0");
        File.GetLastWriteTimeUtc(Path.Combine(records, "rec-b.DEL.stdin"))
            .Should().BeOnOrBefore(File.GetLastWriteTimeUtc(Path.Combine(records, "rec-a.DEL.stdin")), "DEL runs the chain backwards");
    }

    [Fact]
    public async Task Add_WhenAPluginFails_ExitsOneWithThePluginsErrorOnStdout()
    {
        var conflist = WriteConflist(new JsonObject { ["type"] = "rec-b" });

        var r = await DriverAsync("add", conflist, env: new() { ["RECORD_FAIL"] = "rec-b" });

        r.ExitCode.Should().Be(1);
        var error = JsonNode.Parse(r.StandardOutput)!;
        error["code"]!.GetValue<int>().Should().Be(7);
        error["msg"]!.GetValue<string>().Should().Be("recorder refuses");
        r.StandardError.Should().Contain("rec-b");
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string WriteConflist(JsonObject second)
    {
        var list = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = "recorded",
            ["plugins"] = new JsonArray(new JsonObject { ["type"] = "rec-a" }, second),
        };
        var path = Path.Combine(dir, "recorded.conflist");
        File.WriteAllText(path, list.ToJsonString());
        return path;
    }

    private Task<ProcessResult> DriverAsync(string command, string conflist, params string[] extra) =>
        DriverAsync(command, conflist, env: null, extra);

    private Task<ProcessResult> DriverAsync(string command, string conflist, Dictionary<string, string>? env, params string[] extra)
    {
        var environment = new Dictionary<string, string>(env ?? []) { ["RECORD_DIR"] = records };
        return ProcessRunner.RunAsync(
            RepoPaths.CniDriver,
            [command, "--conflist", conflist, "--netns", "/var/run/netns/fake-pod", "--ifname", "eth1", "--container-id", "cid-1",
                "--pod-name", "ovs-prod-1", "--pod-namespace", "emu-cni", "--pod-uid", "0b8e5d2c-7a6f-4e43-9d1b-2f3a4c5d6e7f",
                "--cni-path", bin, "--cache-dir", Path.Combine(dir, "cache"), .. extra],
            TimeSpan.FromSeconds(30),
            environment);
    }

    private JsonObject Stdin(string plugin, string command) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(records, $"{plugin}.{command}.stdin")))!.AsObject();

    private Dictionary<string, string> Env(string plugin, string command) =>
        File.ReadAllLines(Path.Combine(records, $"{plugin}.{command}.env"))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
