using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// <c>"backend": "ovn"</c> against a real OVN Northbound ovsdb-server (ovn-nb.ovsschema); ovn-nbctl is the oracle
/// (spec: kube-ovn-remote-port-mirroring.md, "Create OVN Remote Port Mirroring").
/// </summary>
public sealed partial class NorthboundTests
{
    private const string Network = "attachnet";

    private static JsonObject Mirror1(string name = "mirror1", string type = "gre", long index = 99, string filter = "from-lport",
        string sink = "172.19.0.21") => new()
    {
        ["name"] = name, ["type"] = type, ["index"] = index, ["filter"] = filter, ["sink"] = sink,
    };

    private static async Task<(OvsSandbox, PluginHarness)> StartAsync(params string[] lsps)
    {
        var sandbox = await OvsSandbox.StartAsync(withVswitchd: false, withNorthbound: true);
        await sandbox.NbctlAsync("ls-add", "sw0");
        foreach (var lsp in lsps)
        {
            await sandbox.NbctlAsync("lsp-add", "sw0", lsp);
        }

        return (sandbox, new PluginHarness(sandbox, Network));
    }

    private static JsonObject Config(OvsSandbox sandbox, JsonArray? mirrors, JsonObject? extra = null)
    {
        var config = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = Network,
            ["type"] = "ovs-mirror",
            ["backend"] = "ovn",
            ["ovn_nb"] = sandbox.NbEndpoint,
        };
        if (mirrors is not null)
        {
            config["mirrors"] = mirrors.DeepClone();
        }

        foreach (var (key, value) in extra ?? [])
        {
            config[key] = value?.DeepClone();
        }

        // Kube-OVN's own result, as the chain's first plugin leaves it.
        config["prevResult"] = PluginHarness.PrevResult("veth-pod1");
        return config;
    }

    private static string PodArgs(string pod, string ns = "default") => PluginHarness.MultusDelegateArgs(ns, pod, "abc");

    private static PluginRun Run(PluginHarness plugin, string command, JsonObject config, string pod, string containerId = "c1") =>
        plugin.Run(command, config, containerId, "net1", cniArgs: PodArgs(pod));

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex UuidPattern();

    [GeneratedRegex("external_ids\\s*:.*")]
    private static partial Regex ExternalIdsLine();

    private static string Normalize(string text) => ExternalIdsLine().Replace(UuidPattern().Replace(text, "<uuid>"), "external_ids: <ignored>");

    private static async Task<string> MirrorRulesAsync(OvsSandbox sandbox, string lsp) =>
        (await sandbox.NbctlAsync("get", "Logical_Switch_Port", lsp, "mirror_rules")).Trim();

    private static async Task<string[]> MirrorNamesAsync(OvsSandbox sandbox) =>
        (await sandbox.NbctlAsync("--bare", "--columns=name", "list", "Mirror"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [OvsFact(RequiresNorthbound = true)]
    public async Task Add_GivesExactlyTheStateOfTheSpecsTwoNbctlCommands_AndDelUndoesIt()
    {
        var (sandbox, plugin) = await StartAsync("pod1.default");
        await using var _ = sandbox;

        // The spec, by hand.
        await sandbox.NbctlAsync("mirror-add", "mirror1", "gre", "99", "from-lport", "172.19.0.21");
        await sandbox.NbctlAsync("lsp-attach-mirror", "pod1.default", "mirror1");
        var byHandList = await sandbox.NbctlAsync("mirror-list");
        var byHandLsp = await sandbox.NbctlAsync("list", "Logical_Switch_Port");
        var byHandMirror = await sandbox.NbctlAsync("list", "Mirror");
        await sandbox.NbctlAsync("mirror-del", "mirror1");
        (await MirrorRulesAsync(sandbox, "pod1.default")).Should().Be("[]");

        // The same, declared: the LSP name comes from CNI_ARGS (<K8S_POD_NAME>.<K8S_POD_NAMESPACE>).
        var config = Config(sandbox, [Mirror1()]);
        var add = Run(plugin, "ADD", config, "pod1").ShouldSucceed();
        JsonNode.DeepEquals(add.Json, config["prevResult"]).Should().BeTrue("prevResult passes through unchanged");

        (await sandbox.NbctlAsync("mirror-list")).Should().Be(byHandList);
        Normalize(await sandbox.NbctlAsync("list", "Logical_Switch_Port")).Should().Be(Normalize(byHandLsp));
        Normalize(await sandbox.NbctlAsync("list", "Mirror")).Should().Be(Normalize(byHandMirror));
        Run(plugin, "CHECK", config, "pod1").ShouldSucceed();

        Run(plugin, "DEL", config, "pod1").ShouldSucceed();
        Run(plugin, "DEL", config, "pod1").ShouldSucceed();
        (await MirrorNamesAsync(sandbox)).Should().BeEmpty("the owned mirror goes with its last member");
        (await MirrorRulesAsync(sandbox, "pod1.default")).Should().Be("[]");
        Run(plugin, "CHECK", config, "pod1").ShouldFail(105, "mirror mirror1 does not exist");
    }

    [OvsFact(RequiresNorthbound = true)]
    public async Task TwoPods_ShareOneMirror_WhichGoesWithTheLastOne_AndAProviderNamesTheAttachmentLsp()
    {
        var (sandbox, plugin) = await StartAsync("pod1.default.attachnet.default.ovn", "pod2.default.attachnet.default.ovn");
        await using var _ = sandbox;
        var config = Config(sandbox, [Mirror1()], new JsonObject { ["provider"] = "attachnet.default.ovn" });

        Run(plugin, "ADD", config, "pod1", "c1").ShouldSucceed();
        Run(plugin, "ADD", config, "pod2", "c2").ShouldSucceed();
        Run(plugin, "ADD", config, "pod2", "c2").ShouldSucceed();

        (await MirrorNamesAsync(sandbox)).Should().Equal("mirror1");
        var uuid = (await sandbox.NbctlAsync("--bare", "--columns=_uuid", "list", "Mirror")).Trim();
        (await MirrorRulesAsync(sandbox, "pod1.default.attachnet.default.ovn")).Should().Be($"[{uuid}]");
        (await MirrorRulesAsync(sandbox, "pod2.default.attachnet.default.ovn")).Should().Be($"[{uuid}]");

        Run(plugin, "DEL", config, "pod1", "c1").ShouldSucceed();
        (await MirrorRulesAsync(sandbox, "pod1.default.attachnet.default.ovn")).Should().Be("[]");
        (await MirrorNamesAsync(sandbox)).Should().Equal("mirror1");
        Run(plugin, "DEL", config, "pod2", "c2").ShouldSucceed();
        (await MirrorNamesAsync(sandbox)).Should().BeEmpty();
    }

    [OvsFact(RequiresNorthbound = true)]
    public async Task AMirrorMadeWithNbctl_IsJoinedButNeverDeleted_AndOneStillInUseByAnLspIsKept()
    {
        var (sandbox, plugin) = await StartAsync("pod1.default", "manual.default");
        await using var _ = sandbox;
        await sandbox.NbctlAsync("mirror-add", "mirror1", "gre", "99", "from-lport", "172.19.0.21");
        var config = Config(sandbox, [Mirror1()]);

        Run(plugin, "ADD", config, "pod1").ShouldSucceed();
        Run(plugin, "DEL", config, "pod1").ShouldSucceed();
        (await MirrorNamesAsync(sandbox)).Should().Equal("mirror1");

        // Ours, but someone attached another LSP by hand: DEL must not delete it from under that LSP.
        await sandbox.NbctlAsync("mirror-del", "mirror1");
        Run(plugin, "ADD", config, "pod1").ShouldSucceed();
        await sandbox.NbctlAsync("lsp-attach-mirror", "manual.default", "mirror1");
        Run(plugin, "DEL", config, "pod1").ShouldSucceed();
        (await MirrorNamesAsync(sandbox)).Should().Equal("mirror1");
        (await MirrorRulesAsync(sandbox, "manual.default")).Should().NotBe("[]");
    }

    [OvsFact(RequiresNorthbound = true)]
    public async Task Gc_RemovesThisNetworksStaleAttachments_AndStatusReportsTheDatabase()
    {
        var (sandbox, plugin) = await StartAsync("pod1.default", "pod2.default");
        await using var _ = sandbox;
        var config = Config(sandbox, [Mirror1()]);
        Run(plugin, "ADD", config, "pod1", "c1").ShouldSucceed();
        Run(plugin, "ADD", config, "pod2", "c2").ShouldSucceed();

        var gc = Config(sandbox, null);
        gc["cniVersion"] = "1.1.0";
        gc.Remove("prevResult");
        gc["cni.dev/valid-attachments"] = new JsonArray { new JsonObject { ["containerID"] = "c2", ["ifname"] = "net1" } };
        plugin.Run("GC", gc, "", "").ShouldSucceed();
        (await MirrorRulesAsync(sandbox, "pod1.default")).Should().Be("[]");
        (await MirrorRulesAsync(sandbox, "pod2.default")).Should().NotBe("[]");

        gc["cni.dev/valid-attachments"] = new JsonArray();
        plugin.Run("GC", gc, "", "").ShouldSucceed();
        (await MirrorNamesAsync(sandbox)).Should().BeEmpty();

        gc.Remove("cni.dev/valid-attachments");
        plugin.Run("STATUS", gc, "", "").ShouldSucceed();
        gc["ovn_nb"] = sandbox.DbEndpoint;  // an Open_vSwitch database, not OVN Northbound
        plugin.Run("STATUS", gc, "", "").ShouldFail(50, "OVSDB");
    }

    [OvsFact(RequiresNorthbound = true)]
    public async Task ParallelAdds_OnOneNewMirror_LeaveExactlyOneMirror_WithEveryLsp()
    {
        const int callers = 16;
        const int rounds = 5;
        var lsps = Enumerable.Range(0, callers).Select(i => $"p{i}.default").ToArray();
        var (sandbox, plugin) = await StartAsync(lsps);
        await using var _ = sandbox;
        Run(plugin, "ADD", Config(sandbox, [Mirror1("warm-up")]), "p0", "warm").ShouldSucceed();
        Run(plugin, "DEL", Config(sandbox, null), "p0", "warm").ShouldSucceed();

        var failedRounds = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            var name = "race" + round.ToString(CultureInfo.InvariantCulture);
            var config = Config(sandbox, [Mirror1(name)]);
            // The NB server is stopped while the callers start, so every first read sees "no mirror" and every
            // caller inserts one: all but one commit fail on NB's unique name index and must re-read and join.
            var nb = sandbox.NbServerPid!.Value.ToString(CultureInfo.InvariantCulture);
            await ProcessRunner.RunCheckedAsync("kill", ["-STOP", nb]);
            PluginRun[] runs;
            try
            {
                var adds = Enumerable.Range(0, callers).Select(i => Task.Factory.StartNew(
                    () => Run(plugin, "ADD", config, $"p{i}", $"{name}-{i}"), CancellationToken.None,
                    TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
                // Every caller's connection waits in the stopped server's accept queue before it is resumed.
                await Task.Run(() => ListenQueue.WaitFor([sandbox.NbSocketPath!], callers, RaceCallers.ConnectTimeout));
                await Task.Delay(RaceCallers.SendGrace);
                await ProcessRunner.RunCheckedAsync("kill", ["-CONT", nb]);
                runs = await Task.WhenAll(adds);
            }
            finally
            {
                await ProcessRunner.RunAsync("kill", ["-CONT", nb]);
            }

            var problems = runs.Where(r => r.ExitCode != 0).Select(r => r.Message).ToList();
            var names = await MirrorNamesAsync(sandbox);
            if (names.Count(n => n == name) != 1)
            {
                problems.Add($"{names.Count(n => n == name)} mirrors named {name}");
            }

            var uuid = (await sandbox.NbctlAsync("--bare", "--columns=_uuid", "find", "Mirror", $"name={name}")).Trim();
            foreach (var lsp in lsps)
            {
                if (!(await MirrorRulesAsync(sandbox, lsp)).Contains(uuid, StringComparison.Ordinal))
                {
                    problems.Add($"{lsp} does not refer to {name}");
                }
            }

            var dels = RaceCallers.RunTogether(sandbox,
                [.. Enumerable.Range(0, callers).Select(i => (Func<PluginRun>)(() => Run(plugin, "DEL", config, $"p{i}", $"{name}-{i}")))],
                pauseServer: false);
            problems.AddRange(dels.Where(r => r.ExitCode != 0).Select(r => r.Message));
            if ((await MirrorNamesAsync(sandbox)).Length != 0)
            {
                problems.Add("a mirror was left after every member left");
            }

            if (problems.Count > 0)
            {
                failedRounds.Add($"round {round}: {string.Join("; ", problems)}");
            }
        }

        failedRounds.Should().BeEmpty();
    }

    public static TheoryData<string, JsonObject, int, string> BadInputs => new()
    {
        { "unknown type", Mirror1(type: "vxlan"), 7, "mirrors[0].type: \"vxlan\" is not one of gre, erspan" },
        { "gre key too big", Mirror1(index: 4294967296), 7, "mirrors[0].index: 4294967296 is outside 0-4294967295" },
        { "erspan index too big", Mirror1(type: "erspan", index: 1 << 20), 7, "mirrors[0].index: 1048576 is outside 0-1048575" },
        { "negative index", Mirror1(index: -1), 7, "mirrors[0].index: -1 is outside" },
        { "bad filter", Mirror1(filter: "sideways"), 7, "mirrors[0].filter: \"sideways\" is not one of from-lport, to-lport, both" },
        { "both on OVN 23.03", Mirror1(filter: "both"), 7, "mirrors[0].filter: \"both\" is not supported by this OVN Northbound" },
        { "sink not an IP", Mirror1(sink: "collector.example"), 7, "mirrors[0].sink is not an IPv4 or IPv6 address" },
        { "sink in inet_aton form", Mirror1(sink: "10.1"), 7, "mirrors[0].sink is not an IPv4 or IPv6 address" },
        { "unknown key", new JsonObject { ["name"] = "m", ["type"] = "gre", ["index"] = 1, ["filter"] = "to-lport", ["sink"] = "10.0.0.1", ["key"] = 1 }, 7, "mirrors[0].key is not a key of an OVN mirror entry" },
    };

    [OvsTheory(RequiresNorthbound = true)]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_IsASpecificError_AndChangesNothing(string what, JsonObject entry, int code, string message)
    {
        var (sandbox, plugin) = await StartAsync("pod1.default");
        await using var _ = sandbox;
        var before = await sandbox.NbctlAsync("show");

        Run(plugin, "ADD", Config(sandbox, [entry]), "pod1").ShouldFail(code, message);

        (await sandbox.NbctlAsync("show")).Should().Be(before, what);
        (await MirrorNamesAsync(sandbox)).Should().BeEmpty(what);
    }

    [OvsFact(RequiresNorthbound = true)]
    public async Task Add_ForAnLspThatDoesNotExist_OrAMirrorDefinedOtherwise_OrNoPodName_IsRefused()
    {
        var (sandbox, plugin) = await StartAsync("pod1.default");
        await using var _ = sandbox;

        Run(plugin, "ADD", Config(sandbox, [Mirror1()]), "ghost").ShouldFail(109, "logical switch port ghost.default does not exist");
        (await MirrorNamesAsync(sandbox)).Should().BeEmpty();

        await sandbox.NbctlAsync("mirror-add", "mirror1", "erspan", "7", "to-lport", "172.19.0.99");
        Run(plugin, "ADD", Config(sandbox, [Mirror1()]), "pod1").ShouldFail(108, "mirror mirror1 already exists in OVN Northbound with type erspan");
        (await MirrorRulesAsync(sandbox, "pod1.default")).Should().Be("[]");

        plugin.Run("ADD", Config(sandbox, [Mirror1("m2")]), "c1", "net1", cniArgs: "IgnoreUnknown=1")
            .ShouldFail(4, "CNI_ARGS lacks K8S_POD_NAME");
        Run(plugin, "ADD", Config(sandbox, [Mirror1("m2")], new JsonObject { ["logicalSwitchPort"] = "pod1.default" }), "nobody")
            .ShouldSucceed();
        Run(plugin, "ADD", Config(sandbox, [Mirror1("m3")], new JsonObject { ["backend"] = "ovm" }), "pod1")
            .ShouldFail(7, "backend: \"ovm\" is not one of ovs, ovn");
        Run(plugin, "ADD", Config(sandbox, [Mirror1("m3")], new JsonObject { ["ovn_nb"] = "unix:" + sandbox.Directory + "/none.sock" }), "pod1")
            .ShouldFail(11, "ovn_nb");
    }
}
