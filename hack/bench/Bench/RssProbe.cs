using System.Globalization;

namespace OvsMirror.Bench;

/// <summary>
/// Max RSS of ONE call, measured by hack/bench/rss-probe.pl (fork, exec, wait4). Not with
/// getrusage here: a child's ru_maxrss includes the image it replaced at exec, so anything this .NET
/// process spawns would "peak" at the harness's own ~30 MB (see the script).
/// </summary>
internal static class RssProbe
{
    private const string Prefix = "rss-probe: ";

    public static CallResult Run(string probeScript, Command child) =>
        Proc.Run(new Command(probeScript, [child.File, .. child.Args], child.Env, child.Stdin));

    /// <summary>The child's max RSS in KiB. (The CPU times are not used: with tick-based accounting they are
    /// quantized to whole ticks, meaningless for calls of a few ms.)</summary>
    public static long Parse(CallResult probe)
    {
        var line = probe.Stderr.Split('\n').LastOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal) && l.Contains("maxrss_kb=", StringComparison.Ordinal))
                   ?? throw new BenchException($"rss-probe printed no measurement: {probe.Describe()}");
        var fields = line[Prefix.Length..].Trim().Split(' ').Select(f => f.Split('=', 2))
            .ToDictionary(f => f[0], f => long.Parse(f[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return fields["maxrss_kb"];
    }
}

/// <summary>What the probes of one call said: the largest and the median max RSS (KiB).</summary>
internal sealed record ProbeSummary(int N, long MaxRssKb, long MedianRssKb)
{
    public static ProbeSummary Of(IReadOnlyList<CallResult> probes)
    {
        var rss = probes.Select(p => RssProbe.Parse(p)).Order().ToList();
        return new ProbeSummary(rss.Count, rss[^1], rss[rss.Count / 2]);
    }
}
