using System.Globalization;
using System.Text;

namespace OvsMirror.Fuzz.Tests;

/// <summary>
/// CI's short fuzz run, part 2: a fixed-seed mutation fuzzer (no coverage feedback, so it needs no instrumentation):
/// bit flips, byte insertions and deletions, interesting bytes, truncation and splices of the seeds. Bounded in count,
/// deterministic, so a failure replays. An input that breaks the property is saved to artifacts/fuzz/found/ for a
/// regression file in tests/OvsMirror.Fuzz/crashes/TARGET/.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class SeededMutationTests
{
    private const int Mutations = 3000;
    private static readonly byte[] Interesting = Encoding.UTF8.GetBytes("{}[]\",:\\0-e.;=/\u0000\n tfn9");

    public static TheoryData<string> Targets => [.. FuzzTargets.Names];

    [Theory]
    [MemberData(nameof(Targets))]
    public void SeededMutations_OfTheCorpus_HoldTheTargetsProperty(string target)
    {
        var seeds = FuzzInputs.Files("corpus", target).Select(File.ReadAllBytes).ToArray();
        seeds.Should().NotBeEmpty();
        var random = new Random(1313 + target.Length);
        var failures = new List<string>();
        for (var i = 0; i < Mutations && failures.Count < 5; i++)
        {
            var input = Mutate(random, seeds[random.Next(seeds.Length)], seeds[random.Next(seeds.Length)]);
            try
            {
                FuzzTargets.Run(target, input);
            }
#pragma warning disable CA1031 // every escape is the finding
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"{Save(target, i, input)}: {e.GetType().Name}: {e.Message}");
            }
        }

        failures.Should().BeEmpty();
    }

    private static byte[] Mutate(Random random, byte[] seed, byte[] other)
    {
        var data = new List<byte>(seed);
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(7))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 2 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, random.Next(1, 9)));
                    break;
                case 3 when data.Count > 0:
                    data[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 4:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 5 when other.Length > 0:
                    var from = random.Next(other.Length);
                    data.InsertRange(at, other.Skip(from).Take(random.Next(1, 64)));
                    break;
                default:
                    var digits = Encoding.UTF8.GetBytes(random.Next(4) switch
                    {
                        0 => "-1",
                        1 => "4294967296",
                        2 => "1e400",
                        _ => random.Next().ToString(CultureInfo.InvariantCulture),
                    });
                    data.InsertRange(at, digits);
                    break;
            }
        }

        return [.. data];
    }

    private static string Save(string target, int index, byte[] input)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ovs-mirror.sln")))
            {
                var found = Path.Combine(dir.FullName, "artifacts", "fuzz", "found", target);
                Directory.CreateDirectory(found);
                var file = Path.Combine(found, "mutation-" + index.ToString(CultureInfo.InvariantCulture));
                File.WriteAllBytes(file, input);
                return file;
            }
        }

        return "(not saved)";
    }
}
