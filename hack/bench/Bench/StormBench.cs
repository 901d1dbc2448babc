namespace OvsMirror.Bench;

/// <summary>One storm round: all ADDs at once, the OVSDB state checked, all DELs at once, checked again.</summary>
internal sealed record StormRound(
    double AddWallMs, double DelWallMs, IReadOnlyList<CallResult> Adds, IReadOnlyList<CallResult> Dels,
    IReadOnlyList<string> AfterAddProblems, IReadOnlyList<string> AfterDelProblems)
{
    public int AddFailures => Adds.Count(r => !r.Ok);

    public int DelFailures => Dels.Count(r => !r.Ok);
}

/// <summary>
/// §4: a node starting N pods at once on shared mirrors, then stopping them. Pods 0–4 are the consumers
/// (outputs) of storm-0…storm-3 and storm-all; every other pod k is a producer of storm-(k mod 4)
/// (src+dst) and of storm-all (src), two mirrors in one ADD. After the ADDs OVSDB must hold exactly one row
/// per mirror with every member and one record per attachment; after the DELs, nothing.
/// </summary>
internal sealed class StormBench(Tools tools, Plugin plugin)
{
    private const int Consumers = 5;

    public List<StormRound> Rounds { get; } = [];

    public void Run(int pods, int rounds, bool purge)
    {
        if (pods <= Consumers)
        {
            throw new BenchException($"a storm needs more than {Consumers} pods");
        }

        using var sandbox = Sandbox.Up(tools, vswitchd: purge);
        var args = new List<string>();
        if (!purge)
        {
            args.AddRange(["--", "add-br", "br1", "--", "set", "bridge", "br1", "datapath_type=netdev"]);
        }

        for (var i = 0; i < pods; i++)
        {
            args.AddRange(["--", "add-port", "br1", $"s{i}"]);
            if (purge)
            {
                args.AddRange(["--", "set", "interface", $"s{i}", "type=internal"]);
            }
        }

        Proc.RunChecked(sandbox.Vsctl(tools, wait: purge, [.. args]), TimeSpan.FromSeconds(120));
        var ctl = purge ? sandbox.VswitchdCtl : null;
        var configs = Enumerable.Range(0, pods).Select(i => Plugin.Config(sandbox, "br1", $"s{i}", ctl, Mirrors(i))).ToArray();
        var adds = configs.Select((c, i) => plugin.Call("ADD", $"pod-{i}", c)).ToList();
        var dels = configs.Select((c, i) => plugin.Call("DEL", $"pod-{i}", c)).ToList();
        var portUuids = sandbox.List(tools, "Port", "_uuid", "name")
            .ToDictionary(r => r["name"].GetString()!, r => OvsJson.Uuids(r["_uuid"]).Single(), StringComparer.Ordinal);

        for (var round = 0; round < rounds; round++)
        {
            var (addResults, addWall) = Proc.RunAllAtOnce(adds, timing: false);
            var afterAdd = CheckAfterAdd(sandbox, pods, portUuids, addResults);
            var (delResults, delWall) = Proc.RunAllAtOnce(dels, timing: false);
            var afterDel = CheckEmpty(sandbox);
            var r = new StormRound(addWall, delWall, addResults, delResults, afterAdd, afterDel);
            Rounds.Add(r);
            Log.Info($"storm ({(purge ? "+purge" : "no revalidation")}) round {round + 1}/{rounds}: {pods} ADDs {addWall:0} ms " +
                     $"({r.AddFailures} failed), {pods} DELs {delWall:0} ms ({r.DelFailures} failed), " +
                     $"state {(afterAdd.Count + afterDel.Count == 0 ? "ok" : "WRONG: " + string.Join("; ", afterAdd.Concat(afterDel).Take(3)))}");
            foreach (var failed in addResults.Concat(delResults).Where(x => !x.Ok).Take(3))
            {
                Log.Info("  failed call: " + failed.Describe());
            }

            if (afterDel.Count > 0)
            {
                // start the next round from a clean bridge, so one bad round does not poison the rest
                sandbox.VsctlChecked(tools, "clear", "bridge", "br1", "mirrors");
            }
        }
    }

    public static MirrorSpec[] Mirrors(int pod) => pod switch
    {
        < 4 => [MirrorSpec.Output($"storm-{pod}")],
        4 => [MirrorSpec.Output("storm-all")],
        _ => [MirrorSpec.Producer($"storm-{pod % 4}", "src_port", "dst_port"), MirrorSpec.Producer("storm-all", "src_port")],
    };

    private List<string> CheckAfterAdd(Sandbox sb, int pods, Dictionary<string, string> ports, IReadOnlyList<CallResult> adds)
    {
        var problems = new List<string>();
        var rows = sb.List(tools, "Mirror", "_uuid", "name", "select_src_port", "select_dst_port", "output_port", "external_ids");
        var bridgeMirrors = OvsJson.Uuids(sb.List(tools, "Bridge", "name", "mirrors").Single(r => r["name"].GetString() == "br1")["mirrors"]);
        var succeeded = Enumerable.Range(0, pods).Where(i => adds[i].Ok).ToHashSet();
        var expected = new Dictionary<string, (HashSet<string> Src, HashSet<string> Dst, string? Output, int Records)>(StringComparer.Ordinal);
        foreach (var name in new[] { "storm-0", "storm-1", "storm-2", "storm-3", "storm-all" })
        {
            expected[name] = ([], [], null, 0);
        }

        foreach (var i in succeeded)
        {
            foreach (var m in Mirrors(i))
            {
                var e = expected[m.Name];
                if (m.Consumer)
                {
                    e.Output = ports[$"s{i}"];
                }
                else
                {
                    e.Src.Add(ports[$"s{i}"]);
                    if (m.Selection.Contains("dst_port"))
                    {
                        e.Dst.Add(ports[$"s{i}"]);
                    }
                }

                e.Records++;
                expected[m.Name] = e;
            }
        }

        foreach (var (name, e) in expected)
        {
            var found = rows.Where(r => r["name"].GetString() == name).ToList();
            if (e.Records == 0)
            {
                if (found.Count != 0)
                {
                    problems.Add($"{name}: {found.Count} rows but no successful attachment");
                }

                continue;
            }

            if (found.Count != 1)
            {
                problems.Add($"{name}: {found.Count} rows (expected 1)");
                continue;
            }

            var row = found[0];
            if (!bridgeMirrors.IsSupersetOf(OvsJson.Uuids(row["_uuid"])))
            {
                problems.Add($"{name}: not in br1's mirrors");
            }

            Compare(problems, name, "select_src_port", e.Src, OvsJson.Uuids(row["select_src_port"]));
            Compare(problems, name, "select_dst_port", e.Dst, OvsJson.Uuids(row["select_dst_port"]));
            var output = OvsJson.Uuids(row["output_port"]);
            if (e.Output is not null && !output.SetEquals([e.Output]))
            {
                problems.Add($"{name}: output_port is not its consumer's port");
            }

            var records = OvsJson.MapKeys(row["external_ids"]).Count(k => k.StartsWith("ovs-mirror/a/", StringComparison.Ordinal));
            if (records != e.Records)
            {
                problems.Add($"{name}: {records} attachment records (expected {e.Records})");
            }
        }

        var extra = rows.Select(r => r["name"].GetString()!).Where(n => !expected.ContainsKey(n)).Distinct().ToList();
        if (extra.Count > 0)
        {
            problems.Add("unexpected mirrors: " + string.Join(", ", extra));
        }

        if (bridgeMirrors.Count != rows.Count)
        {
            problems.Add($"br1 has {bridgeMirrors.Count} mirrors, the Mirror table {rows.Count} rows");
        }

        return problems;
    }

    private static void Compare(List<string> problems, string mirror, string column, HashSet<string> expected, HashSet<string> actual)
    {
        var missing = expected.Except(actual).Count();
        var extra = actual.Except(expected).Count();
        if (missing + extra > 0)
        {
            problems.Add($"{mirror}.{column}: {missing} members missing, {extra} unexpected");
        }
    }

    private List<string> CheckEmpty(Sandbox sb)
    {
        var problems = new List<string>();
        var rows = sb.List(tools, "Mirror", "name");
        if (rows.Count > 0)
        {
            problems.Add($"{rows.Count} Mirror rows left after the DELs ({string.Join(", ", rows.Select(r => r["name"].GetString()))})");
        }

        var br1 = sb.List(tools, "Bridge", "name", "mirrors").Single(r => r["name"].GetString() == "br1");
        if (OvsJson.Uuids(br1["mirrors"]).Count > 0)
        {
            problems.Add("br1 still lists mirrors after the DELs");
        }

        return problems;
    }
}
