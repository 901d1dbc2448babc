namespace OvsMirror.Fuzz.Tests;

/// <summary>
/// CI's short fuzz run, part 1: every seed of every target and every crash afl++ ever found (tests/OvsMirror.Fuzz/crashes,
/// named by what they broke) is replayed; the target's property must hold for each (issue 13: result or typed error).
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class CorpusReplayTests
{
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.Names)
        {
            foreach (var kind in new[] { "corpus", "crashes" })
            {
                foreach (var file in FuzzInputs.Files(kind, target))
                {
                    data.Add(target, FuzzInputs.RelativeName(file));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Replay_HoldsTheTargetsProperty(string target, string file)
    {
        var input = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, file));
        var run = () => FuzzTargets.Run(target, input);
        run.Should().NotThrow();
    }

    [Fact]
    public void EveryTarget_HasASeedCorpus()
    {
        foreach (var target in FuzzTargets.Names)
        {
            FuzzInputs.Files("corpus", target).Should().NotBeEmpty($"target {target} needs seeds (hack/fuzz/make-seeds.py)");
        }
    }
}
