using System.Diagnostics;
using OvsMirror.Cni;

namespace OvsMirror.Mirroring;

/// <summary>
/// Read, plan, commit; when a guard says the state moved, back off with jitter and go again, until the
/// deadline. Concurrent callers that collide are spread apart by the jitter rather than retrying in
/// lock step. Past the deadline the answer is CNI code 11 (try again later).
/// </summary>
internal static class OptimisticRetry
{
    private const double MaxDelayMs = 40;

    /// <param name="what">Names the change in the error, e.g. "attach c1/eth1 to bridge br1".</param>
    /// <param name="attempt">Returns true once committed, false when a guard failed and the state must be re-read.</param>
    /// <param name="deadline">A <see cref="Stopwatch"/> timestamp.</param>
    /// <returns>How many attempts it took.</returns>
    public static int Run(string what, Func<bool> attempt, long deadline)
    {
        for (var n = 1; ; n++)
        {
            if (attempt())
            {
                return n;
            }

            var pause = Backoff(n);
            if (Stopwatch.GetTimestamp() + (long)(pause.TotalSeconds * Stopwatch.Frequency) >= deadline)
            {
                throw new CniException(CniErrorCode.TryAgainLater,
                    $"{what}: OVSDB kept changing under {n} attempts until the deadline; try again");
            }

            Thread.Sleep(pause);
        }
    }

    internal static TimeSpan Backoff(int attempt)
    {
        // Exponential from ~1 ms, capped, with jitter in [0.5, 1.5) of the step.
        var step = Math.Min(MaxDelayMs, 0.5 * Math.Pow(2, Math.Min(attempt, 10)));
        return TimeSpan.FromMilliseconds(step * (0.5 + Random.Shared.NextDouble()));
    }
}
