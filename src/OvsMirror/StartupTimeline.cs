using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace OvsMirror;

/// <summary>
/// The opt-in startup breakdown for hack/bench: with OVS_MIRROR_TIMING set, one line on stderr gives the
/// milliseconds each phase took. OVS_MIRROR_TIMING=1 measures from Main; a number is taken as the
/// CLOCK_MONOTONIC time in nanoseconds at which the caller spawned the process (what Stopwatch reads on
/// Linux), which adds "main": process start to Main. Unset, nothing is created and nothing is measured.
/// </summary>
internal sealed class StartupTimeline
{
    private readonly List<(string Label, long Timestamp)> _marks = new(16);

    private StartupTimeline(long start, bool fromSpawn)
    {
        _marks.Add((fromSpawn ? "spawn" : "main", start));
        if (fromSpawn)
        {
            Mark("main");
        }
    }

    public static StartupTimeline? FromEnvironment(string? value, long mainTimestamp)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var spawn) && spawn > 1 &&
               spawn <= mainTimestamp && Stopwatch.Frequency == 1_000_000_000
            ? new StartupTimeline(spawn, fromSpawn: true)
            : new StartupTimeline(mainTimestamp, fromSpawn: false);
    }

    public void Mark(string label) => _marks.Add((label, Stopwatch.GetTimestamp()));

    /// <summary>"ovs-mirror-timing main=1.234 stdin=0.012 … total=3.456" (ms per phase, then the sum).</summary>
    public void WriteTo(TextWriter stderr)
    {
        Mark("exit");
        var line = new StringBuilder("ovs-mirror-timing");
        for (var i = 1; i < _marks.Count; i++)
        {
            line.Append(' ').Append(_marks[i].Label).Append('=')
                .Append(Ms(_marks[i].Timestamp - _marks[i - 1].Timestamp));
        }

        line.Append(" total=").Append(Ms(_marks[^1].Timestamp - _marks[0].Timestamp));
        stderr.WriteLine(line.ToString());
    }

    private static string Ms(long ticks) =>
        (ticks * 1000.0 / Stopwatch.Frequency).ToString("0.000", CultureInfo.InvariantCulture);
}
