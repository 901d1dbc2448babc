namespace OvsMirror.Bench;

/// <summary>One measured call of a contender.</summary>
internal sealed record Step(string Contender, Func<CallResult> Call);

/// <summary>
/// Interleaved repetition: every iteration runs every contender once. Steps that depend on each other
/// (ADD, then CHECK, then DEL of one attachment) form a group and keep their order; the groups are merged
/// in a fresh uniformly random order each iteration, so machine noise hits all contenders alike.
/// </summary>
internal static class Schedule
{
    public static List<Step> Interleave(IReadOnlyList<IReadOnlyList<Step>> groups, Random rng)
    {
        var next = new int[groups.Count];
        var remaining = groups.Sum(g => g.Count);
        var order = new List<Step>(remaining);
        while (remaining > 0)
        {
            // pick a group with probability proportional to its steps left: a uniform random merge
            var pick = rng.Next(remaining);
            for (var g = 0; g < groups.Count; g++)
            {
                var left = groups[g].Count - next[g];
                if (pick < left)
                {
                    order.Add(groups[g][next[g]++]);
                    break;
                }

                pick -= left;
            }

            remaining--;
        }

        return order;
    }

    /// <summary>Runs <paramref name="warmup"/> unrecorded then <paramref name="runs"/> recorded iterations.
    /// A failed call aborts: a benchmark of failing calls measures nothing.</summary>
    public static void Run(string what, IReadOnlyList<IReadOnlyList<Step>> groups, int warmup, int runs, Samples into, Random rng)
    {
        var progressEvery = Math.Max(1, runs / 10);
        for (var i = -warmup; i < runs; i++)
        {
            foreach (var step in Interleave(groups, rng))
            {
                var result = step.Call();
                if (!result.Ok)
                {
                    throw new BenchException($"{what}: {step.Contender} failed in iteration {i}: {result.Describe()}");
                }

                if (i >= 0)
                {
                    into.Add(step.Contender, result);
                }
            }

            if (i >= 0 && (i + 1) % progressEvery == 0)
            {
                Log.Info($"{what}: {i + 1}/{runs} iterations");
            }
        }
    }
}

internal static class Log
{
    public static void Info(string message) => Console.Error.WriteLine("bench: " + message);
}
