using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Faults.Tests;

/// <summary>
/// Property (issue 13 §3): for ANY sequence of ADD, DEL and GC on a real ovsdb-server, OVSDB ends in the state of a
/// simple model: a set of attached pods. Each mirror exists iff some attached pod names it, holds exactly their
/// records and ports, and is the only one of its name. CsCheck generates the sequences and, on a failure, shrinks
/// to a minimal failing one (printed with its seed: CsCheck_Seed=… replays it).
/// </summary>
[Trait("Category", "Fault")]
public sealed class ModelPropertyTests(ITestOutputHelper output)
{
    private const int Pods = 5;

    /// <summary>One step: ADD or DEL of a pod, or GC keeping the pods whose bit is set.</summary>
    internal sealed record Step(int Kind, int Pod, int ValidMask)
    {
        public override string ToString() => Kind switch
        {
            0 => $"ADD {Pod}",
            1 => $"DEL {Pod}",
            _ => $"GC keep[{string.Join(",", Enumerable.Range(0, Pods).Where(p => (ValidMask & (1 << p)) != 0))}]",
        };
    }

    // Fixed per pod: which mirrors it joins and how (src, dst or both), so the model knows each column.
    private static readonly (string Mirror, string[] Selection)[][] PodMirrors =
    [
        [("m1", ["src_port"])],
        [("m1", ["dst_port"]), ("m2", ["src_port", "dst_port"])],
        [("m2", ["src_port"])],
        [("m1", ["src_port", "dst_port"]), ("m3", ["dst_port"])],
        [("m3", ["src_port"]), ("m2", ["dst_port"])],
    ];

    private static string Id(int pod) => "prop" + pod.ToString(CultureInfo.InvariantCulture);

    private static string Port(int pod) => "q" + pod.ToString(CultureInfo.InvariantCulture);

    private static JsonArray Mirrors(int pod) =>
        [.. PodMirrors[pod].Select(m => (JsonNode)new JsonObject { ["name"] = m.Mirror, ["selection"] = new JsonArray([.. m.Selection.Select(s => (JsonNode)s)]) })];

    [OvsFact]
    public async Task AnySequenceOfAddDelAndGc_EndsInTheModelsState()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        for (var pod = 0; pod < Pods; pod++)
        {
            await sandbox.AddPortOnlyAsync("br1", Port(pod));
        }

        var plugin = new FaultPlugin(sandbox);
        var figures = new FaultFigures("property: any ADD/DEL/GC sequence ends in the model's state (CsCheck)", plugin.TimeoutMs);
        var steps = Gen.Select(Gen.Int[0, 2], Gen.Int[0, Pods - 1], Gen.Int[0, (1 << Pods) - 1], (k, p, m) => new Step(k, p, m));
        steps.Array[1, 14].Sample(
            sequence =>
            {
                figures.Rounds++;
                var attached = new bool[Pods];
                var problems = new List<string>();
                foreach (var step in sequence)
                {
                    var run = step.Kind switch
                    {
                        0 => plugin.Add("br1", Port(step.Pod), Mirrors(step.Pod), Id(step.Pod)),
                        1 => plugin.Del("br1", Id(step.Pod)),
                        _ => plugin.Gc("br1", Enumerable.Range(0, Pods).Where(p => (step.ValidMask & (1 << p)) != 0).Select(Id)),
                    };
                    figures.Count(run);
                    if (!run.Succeeded)
                    {
                        problems.Add($"{step}: {run}");
                    }

                    for (var p = 0; p < Pods; p++)
                    {
                        attached[p] = step.Kind switch
                        {
                            0 => attached[p] || p == step.Pod,
                            1 => attached[p] && p != step.Pod,
                            _ => attached[p] && (step.ValidMask & (1 << p)) != 0,
                        };
                    }
                }

                var state = OvsdbState.ReadAsync(sandbox).GetAwaiter().GetResult();
                problems.AddRange(state.Problems("br1", noOrphans: true));
                problems.AddRange(Differences(state, attached));

                // Back to empty for the next sequence: DEL everyone (idempotent), and nothing may be left.
                for (var p = 0; p < Pods; p++)
                {
                    plugin.Del("br1", Id(p)).Succeeded.Should().BeTrue();
                }

                var empty = OvsdbState.ReadAsync(sandbox).GetAwaiter().GetResult();
                if (empty.Mirrors.Count > 0)
                {
                    problems.Add($"after DEL of every pod, {empty.Mirrors.Count} Mirror rows are left");
                    foreach (var uuid in empty.BridgeMirrors.GetValueOrDefault("br1", []))
                    {
                        sandbox.VsctlAsync("remove", "Bridge", "br1", "mirrors", uuid).GetAwaiter().GetResult();
                    }
                }

                if (problems.Count > 0)
                {
                    figures.Violation();
                }

                problems.Should().BeEmpty();
            },
            writeLine: output.WriteLine,
            iter: 60,
            threads: 1, // one sandbox, one model: the sequences run one after the other
            print: sequence => string.Join("; ", sequence.Select(s => s.ToString())));
        figures.Report(output);
    }

    /// <summary>Where OVSDB differs from the model: every attached pod's record and ports, and nothing else.</summary>
    private static IEnumerable<string> Differences(OvsdbState state, bool[] attached)
    {
        var mirrors = state.OnBridge("br1");
        foreach (var name in new[] { "m1", "m2", "m3" })
        {
            var members = Enumerable.Range(0, Pods).Where(p => attached[p] && PodMirrors[p].Any(m => m.Mirror == name)).ToList();
            var rows = mirrors.Where(m => m.Name == name).ToList();
            if (members.Count == 0)
            {
                if (rows.Count > 0)
                {
                    yield return $"{name} exists with no attached member";
                }

                continue;
            }

            if (rows.Count != 1)
            {
                yield return $"{rows.Count} mirrors named {name}, expected 1 for members {string.Join(",", members)}";
                continue;
            }

            var row = rows[0];
            if (!row.Records.Keys.ToHashSet().SetEquals(members.Select(Id)))
            {
                yield return $"{name} has records [{string.Join(",", row.Records.Keys.Order(StringComparer.Ordinal))}], expected [{string.Join(",", members.Select(Id))}]";
            }

            var src = members.Where(p => PodMirrors[p].Single(m => m.Mirror == name).Selection.Contains("src_port")).Select(p => state.PortUuids[Port(p)]);
            var dst = members.Where(p => PodMirrors[p].Single(m => m.Mirror == name).Selection.Contains("dst_port")).Select(p => state.PortUuids[Port(p)]);
            if (!row.SrcPorts.SetEquals(src) || !row.DstPorts.SetEquals(dst))
            {
                yield return $"{name} selects {row.SrcPorts.Count} src / {row.DstPorts.Count} dst ports, expected {src.Count()} / {dst.Count()}";
            }
        }
    }
}
