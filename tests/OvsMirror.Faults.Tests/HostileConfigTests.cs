using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Faults.Tests;

/// <summary>
/// The config fuzz target's property with a real server behind it (issue 13): the seeds of
/// tests/OvsMirror.Fuzz/corpus/config and fixed-seed mutations of them, each sent as an ADD to the real plugin against
/// a real ovsdb-server (socket_file pointed at the sandbox, so no input reaches any other address). Never code 999;
/// a failed ADD leaves OVSDB unchanged (ovsdb-client dump); a successful one can be DELeted.
/// </summary>
[Trait("Category", "Fault")]
public sealed class HostileConfigTests(ITestOutputHelper output)
{
    private const int MutationsPerSeed = 6;

    [OvsFact]
    public async Task SeedsAndMutations_AsAddAgainstARealServer_NeverGive999_AndFailedAddsChangeNothing()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        await sandbox.VsctlAsync("add-port", "br1", "veth1", "tag=100", "--", "set", "interface", "veth1", "type=internal");
        var plugin = new FaultPlugin(sandbox);
        var seeds = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "corpus", "config")).Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes).ToArray();
        seeds.Should().NotBeEmpty();
        var random = new Random(7047);
        var figures = new FaultFigures("config corpus + mutations as ADD against a real ovsdb-server", plugin.TimeoutMs);
        var problems = new List<string>();
        var baseline = await OvsdbDump.ReadAsync(sandbox);
        var n = 0;
        foreach (var seed in seeds)
        {
            for (var m = 0; m <= MutationsPerSeed; m++)
            {
                var input = Confine(m == 0 ? seed : Mutate(random, seed), sandbox);
                var id = "h" + n++;
                var run = plugin.RunRaw("ADD", input, id);
                figures.Rounds++;
                figures.Count(run);
                if (run.Violation(Enumerable.Range(1, 998).ToArray()) is { } violation)
                {
                    problems.Add($"{violation}; stdin {Encoding.UTF8.GetString(input)}");
                }

                if (!run.Succeeded)
                {
                    var after = await OvsdbDump.ReadAsync(sandbox);
                    if (after != baseline)
                    {
                        problems.Add($"a failed ADD ({run.Code}: {run.Message}) changed OVSDB:\n{OvsdbDump.Diff(baseline, after)}\nstdin {Encoding.UTF8.GetString(input)}");
                        baseline = after;
                    }

                    continue;
                }

                var del = plugin.RunRaw("DEL", input, id);
                figures.Count(del);
                if (!del.Succeeded)
                {
                    problems.Add($"DEL after a successful ADD: {del}; stdin {Encoding.UTF8.GetString(input)}");
                }

                baseline = await OvsdbDump.ReadAsync(sandbox); // e.g. an RSPAN VLAN stays in flood_vlans
            }
        }

        if (problems.Count > 0)
        {
            figures.Violation();
        }

        figures.Report(output);
        problems.Should().BeEmpty();
    }

    /// <summary>Points the input at the sandbox: socket_file (and ovn_nb at a socket that does not exist), short deadlines.</summary>
    private static byte[] Confine(byte[] input, OvsSandbox sandbox)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(input, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = true });
        }
        catch (JsonException)
        {
            return input;
        }
        catch (ArgumentException)
        {
            return input;
        }

        if (node is not JsonObject config)
        {
            return input;
        }

        config["socket_file"] = sandbox.DbEndpoint;
        config["ovn_nb"] = "unix:" + Path.Combine(sandbox.Directory, "no-nb.sock");
        config["timeoutMs"] = 2000;
        config.Remove("vswitchdCtl");
        config["flowRevalidation"] = "none";
        return Encoding.UTF8.GetBytes(config.ToJsonString());
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var data = new List<byte>(seed);
        byte[] interesting = [.. "{}[]\",:0-1e9;\\ntf"u8];
        for (var k = random.Next(1, 4); k > 0 && data.Count > 0; k--)
        {
            var at = random.Next(data.Count);
            switch (random.Next(4))
            {
                case 0:
                    data[at] = interesting[random.Next(interesting.Length)];
                    break;
                case 1:
                    data.Insert(at, interesting[random.Next(interesting.Length)]);
                    break;
                case 2:
                    data.RemoveRange(at, Math.Min(data.Count - at, random.Next(1, 6)));
                    break;
                default:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
            }
        }

        return [.. data];
    }
}
