using System.Globalization;
using System.Text.Json.Nodes;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Faults.Tests;

/// <summary>
/// <c>"backend": "ovn"</c> with the OVN Northbound server paused, or SIGKILLed and restarted on the same database file,
/// in the middle of a 12-way ADD/DEL storm on shared NB mirrors; and an OVN GC whose first step fails. Contract: every
/// call is success or code 11 within timeoutMs; nothing torn (a record whose LSP does not refer to the mirror, or the
/// reverse); DEL of everyone and GC leave no NB mirror; GC goes on past its first error, as OVS GC does.
/// </summary>
[Trait("Category", "Fault")]
public sealed class NorthboundFaultTests(ITestOutputHelper output)
{
    private const int Pods = 12;
    private const int TimeoutMs = 2000;
    private const string Network = "attachnet";
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private static JsonObject Entry(string name) => new()
    {
        ["name"] = name, ["type"] = "gre", ["index"] = 99, ["filter"] = "from-lport", ["sink"] = "172.19.0.21",
    };

    private static JsonObject Config(string endpoint, JsonArray? mirrors)
    {
        var config = new JsonObject
        {
            ["cniVersion"] = "1.1.0",
            ["name"] = Network,
            ["type"] = "ovs-mirror",
            ["backend"] = "ovn",
            ["ovn_nb"] = endpoint,
            ["timeoutMs"] = TimeoutMs,
        };
        if (mirrors is not null)
        {
            config["mirrors"] = mirrors.DeepClone();
        }

        config["prevResult"] = new JsonObject
        {
            ["cniVersion"] = "1.1.0",
            ["interfaces"] = new JsonArray { new JsonObject { ["name"] = "veth-pod", ["mac"] = "0a:58:0a:f4:00:05" } },
        };
        return config;
    }

    private static string Args(int pod) => $"IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=pod{pod.ToString(CultureInfo.InvariantCulture)}";

    private static async Task<(OvsSandbox, FaultPlugin)> StartAsync()
    {
        var sandbox = await OvsSandbox.StartAsync(withVswitchd: false, withNorthbound: true);
        await sandbox.NbctlAsync("ls-add", "sw0");
        for (var i = 0; i < Pods; i++)
        {
            await sandbox.NbctlAsync("lsp-add", "sw0", $"pod{i.ToString(CultureInfo.InvariantCulture)}.default");
        }

        return (sandbox, new FaultPlugin(sandbox, Network));
    }

    private static FaultRun Add(FaultPlugin plugin, string endpoint, int pod, JsonArray mirrors) =>
        plugin.Run("ADD", Config(endpoint, mirrors), Id(pod), cniArgs: Args(pod));

    private static FaultRun Del(FaultPlugin plugin, string endpoint, int pod) =>
        plugin.Run("DEL", Config(endpoint, null), Id(pod), cniArgs: Args(pod));

    private static FaultRun Gc(FaultPlugin plugin, string endpoint)
    {
        var config = Config(endpoint, null);
        config["cni.dev/valid-attachments"] = new JsonArray();
        return plugin.Run("GC", config, "gc");
    }

    private static string Id(int pod) => "n" + pod.ToString(CultureInfo.InvariantCulture);

    public static TheoryData<string> Faults => ["paused", "killed and restarted"];

    [OvsTheory(RequiresNorthbound = true)]
    [MemberData(nameof(Faults))]
    public async Task NorthboundFaultMidStorm_GivesSuccessOrCode11_NeverTears_AndDelThenGcLeaveNoMirror(string fault)
    {
        var random = new Random(23_03);
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        var endpoint = sandbox.NbEndpoint!;
        JsonArray mirrors = [Entry("mirror1"), Entry("mirror2")];
        var attached = new bool[Pods];
        var figures = new FaultFigures($"OVN NB {fault} mid 12-way ADD/DEL storm", TimeoutMs);
        var problems = new List<string>();
        // Pauses shorter and longer than timeoutMs: the short ones delay the calls, the long ones fail them with code 11.
        int[] pausesMs = [300, 2600, 900, 3000];
        for (var round = 0; round < pausesMs.Length; round++)
        {
            var isAdd = attached.Select(a => !a || random.Next(4) == 0).ToArray();
            var pauseMs = pausesMs[round];
            var runs = Together.Run(
                [.. Enumerable.Range(0, Pods).Select(i => (Func<FaultRun>)(() => isAdd[i] ? Add(plugin, endpoint, i, mirrors) : Del(plugin, endpoint, i)))],
                () =>
                {
                    Thread.SpinWait(random.Next(0, 200_000));
                    if (fault == "paused")
                    {
                        sandbox.PauseNorthbound();
                        Thread.Sleep(pauseMs); // the fault's duration, not a synchronisation
                        sandbox.ResumeNorthbound();
                    }
                    else
                    {
                        sandbox.RestartNorthboundAsync().GetAwaiter().GetResult();
                    }
                });
            figures.Rounds++;
            figures.Note(fault == "paused" ? "NB pauses" : "NB kills");
            figures.CountAll(runs);
            var state = await NorthboundState.ReadAsync(sandbox);
            var round_ = new List<string>(state.Problems(noOrphans: false));
            for (var i = 0; i < Pods; i++)
            {
                if (runs[i].Violation(11) is { } violation)
                {
                    round_.Add(violation);
                }

                if (runs[i].Elapsed > TimeSpan.FromMilliseconds(TimeoutMs) + Slack)
                {
                    round_.Add(string.Create(CultureInfo.InvariantCulture, $"{runs[i].Command} took {runs[i].Elapsed.TotalMilliseconds:0} ms"));
                }

                var records = new[] { "mirror1", "mirror2" }.Select(m => state.HasRecord(m, Id(i))).ToArray();
                if (records[0] != records[1])
                {
                    round_.Add($"{runs[i].Command}: half attached ({records[0]}, {records[1]})");
                }

                if (runs[i].Succeeded && records[0] != isAdd[i])
                {
                    round_.Add($"{runs[i].Command} succeeded, but the attachment is {(records[0] ? "present" : "absent")}");
                }

                attached[i] = records[0];
            }

            if (round_.Count > 0)
            {
                figures.Violation();
                problems.Add($"round {round} (pause {pauseMs} ms): {string.Join("; ", round_)}");
            }
        }

        for (var i = 0; i < Pods; i++)
        {
            var del = Del(plugin, endpoint, i);
            figures.Count(del);
            if (!del.Succeeded)
            {
                problems.Add($"final {del}");
            }
        }

        var gc = Gc(plugin, endpoint);
        figures.Count(gc);
        var end = await NorthboundState.ReadAsync(sandbox);
        problems.AddRange(end.Problems(noOrphans: true));
        if (!gc.Succeeded || end.Mirrors.Count > 0)
        {
            problems.Add($"after DEL of every pod and GC ({gc}), {end.Mirrors.Count} NB mirrors are left");
        }

        figures.Report(output);
        problems.Should().BeEmpty();
    }

    [OvsFact(RequiresNorthbound = true)]
    public async Task OvnGc_WhoseFirstStepFails_GoesOnToRemoveTheOrphanedMirror_AndReportsCode11()
    {
        var (sandbox, plugin) = await StartAsync();
        await using var _ = sandbox;
        var endpoint = sandbox.NbEndpoint!;
        Add(plugin, endpoint, 0, [Entry("mirror1")]).Succeeded.Should().BeTrue();
        Add(plugin, endpoint, 1, [Entry("mirror2")]).Succeeded.Should().BeTrue();
        // mirror2 becomes what a DEL killed between its two transactions leaves: owned, no record, no LSP refers to it.
        var mirror2 = (await NorthboundState.ReadAsync(sandbox)).Mirrors.Single(m => m.Name == "mirror2").Uuid;
        await sandbox.NbctlAsync("remove", "Mirror", mirror2, "external_ids", $"{MirrorRow.RecordPrefix}{Id(1)}/eth1");
        await sandbox.NbctlAsync("clear", "Logical_Switch_Port", "pod1.default", "mirror_rules");

        // GC's first change (detaching dead pod0 from mirror1: a transaction with "mutate") is refused by the server.
        using var proxy = new FaultProxy(Path.Combine(sandbox.Directory, "proxy.sock"), sandbox.NbSocketPath!) { FailWhen = "\"mutate\"" };
        var gc = Gc(plugin, proxy.Endpoint);
        var state = await NorthboundState.ReadAsync(sandbox);
        var figures = new FaultFigures("OVN GC whose first step is refused", TimeoutMs) { Rounds = 1 };
        figures.Count(gc);
        figures.Note("refused by the proxy", proxy.Refused);
        figures.Report(output);

        proxy.Refused.Should().Be(1, "the fault was injected");
        gc.Code.Should().Be(11, $"GC reports that it did not finish: {gc}");
        gc.Message.Should().Contain("injected fault");
        state.Mirrors.Select(m => m.Name).Should().NotContain("mirror2", "GC goes on past its first error to remove the orphaned mirror");
        state.HasRecord("mirror1", Id(0)).Should().BeTrue("the refused detach changed nothing");

        var again = Gc(plugin, endpoint);
        again.Succeeded.Should().BeTrue(again.ToString());
        (await NorthboundState.ReadAsync(sandbox)).Mirrors.Should().BeEmpty("the second GC finishes the job");
    }
}
