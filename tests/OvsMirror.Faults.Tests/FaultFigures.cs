using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace OvsMirror.Faults.Tests;

/// <summary>
/// The figures of one fault scenario (issue 13): rounds, calls, kills, outcomes by CNI code, and the worst latency
/// against the budget (timeoutMs). <see cref="Report"/> prints them to the test output and appends a row to
/// <c>artifacts/faults/figures.md</c>, so a run leaves its table behind.
/// </summary>
internal sealed class FaultFigures(string scenario, int budgetMs)
{
    private static readonly Lock FileLock = new();
    private readonly SortedDictionary<string, int> outcomes = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public string Scenario { get; } = scenario;

    public int BudgetMs { get; } = budgetMs;

    public int Rounds { get; set; }

    public int Calls { get; private set; }

    public int Kills { get; private set; }

    public double WorstMs { get; private set; }

    public int Violations { get; private set; }

    public void Count(FaultRun run)
    {
        lock (gate)
        {
            Calls++;
            var outcome = run.Killed ? "killed" : run.ExitCode == 0 ? "ok" : run.Code is { } c ? c.ToString(CultureInfo.InvariantCulture) : "exit " + run.ExitCode;
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            Kills += run.Killed ? 1 : 0;
            if (!run.Killed)
            {
                WorstMs = Math.Max(WorstMs, run.Elapsed.TotalMilliseconds);
            }
        }
    }

    public void CountAll(IEnumerable<FaultRun> runs)
    {
        foreach (var run in runs)
        {
            Count(run);
        }
    }

    /// <summary>Counts a named event (a late commit, a recreated tunnel, a fault injected) among the outcomes.</summary>
    public void Note(string what, int count = 1)
    {
        lock (gate)
        {
            outcomes[what] = outcomes.GetValueOrDefault(what) + count;
        }
    }

    public void Violation() => Violations++;

    public string Outcomes => string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}"));

    public void Report(ITestOutputHelper output)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"| {Scenario} | {Rounds} | {Calls} | {Kills} | {Outcomes} | {WorstMs:0} / {BudgetMs} | {(Violations == 0 ? "pass" : Violations + " failed rounds")} |");
        output.WriteLine("figures: " + line);
        var dir = Path.Combine(RepoRoot(), "artifacts", "faults");
        lock (FileLock)
        {
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, "figures.md");
            var text = new StringBuilder();
            if (!File.Exists(file))
            {
                text.AppendLine("| scenario | rounds | calls | kills | outcomes (CNI code: count) | worst ms / budget ms | result |");
                text.AppendLine("|---|---|---|---|---|---|---|");
            }

            text.AppendLine(line);
            File.AppendAllText(file, text.ToString());
        }
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ovs-mirror.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ovs-mirror.sln not found above " + AppContext.BaseDirectory);
    }
}
