using System.Globalization;

namespace OvsMirror.Bench;

/// <summary>
/// The mean of each phase of the "ovs-mirror-timing" lines of one contender. Repeated labels are numbered
/// in order (transact1, transact2, …); a phase a run did not have counts as 0, so the phases add up to
/// the mean total.
/// </summary>
internal sealed class Breakdown
{
    private static readonly string[] Canonical = ["main", "stdin", "parsed", "config", "connect"];
    private static readonly string[] Tail = ["revalidate", "plugin", "output", "exit"];

    private Breakdown(Dictionary<string, double> means, int runs)
    {
        Means = means;
        Runs = runs;
    }

    public IReadOnlyDictionary<string, double> Means { get; }

    public int Runs { get; }

    public static Breakdown Of(IEnumerable<CallResult> results)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var runs = 0;
        foreach (var line in results.Select(r => r.TimingLine).OfType<string>())
        {
            runs++;
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                var kv = token.Split('=', 2);
                if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
                {
                    continue;
                }

                var label = kv[0];
                if (label == "transact")
                {
                    seen[label] = seen.GetValueOrDefault(label) + 1;
                    label += seen[label].ToString(CultureInfo.InvariantCulture);
                }

                sums[label] = sums.GetValueOrDefault(label) + ms;
            }
        }

        return new Breakdown(sums.ToDictionary(p => p.Key, p => runs == 0 ? 0 : p.Value / runs, StringComparer.Ordinal), runs);
    }

    /// <summary>The phases of all these breakdowns, in the order the binary runs them; "total" last.</summary>
    public static List<string> Phases(IEnumerable<Breakdown> all)
    {
        var labels = all.SelectMany(b => b.Means.Keys).ToHashSet(StringComparer.Ordinal);
        var transacts = labels.Where(l => l.StartsWith("transact", StringComparison.Ordinal))
            .OrderBy(l => int.Parse(l["transact".Length..], CultureInfo.InvariantCulture)).ToList();
        var ordered = Canonical.Where(labels.Contains).Concat(transacts).Concat(Tail.Where(labels.Contains)).ToList();
        ordered.AddRange(labels.Where(l => !ordered.Contains(l) && l != "total").Order(StringComparer.Ordinal));
        if (labels.Contains("total"))
        {
            ordered.Add("total");
        }

        return ordered;
    }
}
