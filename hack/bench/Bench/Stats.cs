using System.Globalization;

namespace OvsMirror.Bench;

/// <summary>Order statistics of a sample (ms). Percentiles interpolate linearly between closest ranks.</summary>
internal sealed class Stats
{
    private readonly double[] sorted;

    public Stats(IEnumerable<double> samples)
    {
        sorted = [.. samples.Order()];
    }

    public int N => sorted.Length;

    public double Min => N == 0 ? double.NaN : sorted[0];

    public double Max => N == 0 ? double.NaN : sorted[^1];

    public double Mean => N == 0 ? double.NaN : sorted.Average();

    public double P50 => Percentile(50);

    public double P90 => Percentile(90);

    public double P99 => Percentile(99);

    public double Percentile(double p)
    {
        if (N == 0)
        {
            return double.NaN;
        }

        var rank = p / 100.0 * (N - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
    }

    public static string Ms(double v) => double.IsNaN(v) ? "—" : v.ToString(v < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
}

/// <summary>Samples per contender name, in the order contenders first appear.</summary>
internal sealed class Samples
{
    private readonly Dictionary<string, List<CallResult>> byName = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    public IReadOnlyList<string> Names => order;

    public void Add(string name, CallResult result)
    {
        if (!byName.TryGetValue(name, out var list))
        {
            byName[name] = list = [];
            order.Add(name);
        }

        list.Add(result);
    }

    public IReadOnlyList<CallResult> Of(string name) => byName.TryGetValue(name, out var list) ? list : [];

    public Stats StatsOf(string name) => new(Of(name).Select(r => r.WallMs));
}
