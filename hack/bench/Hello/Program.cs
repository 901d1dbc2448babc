using System.Diagnostics;
using System.Globalization;

// The bare NativeAOT start: runtime init, Main, one line on stdout, exit. Like ovs-mirror, with
// OVS_MIRROR_TIMING=<CLOCK_MONOTONIC ns at spawn> it also prints "ovs-mirror-timing main=… output=… total=…"
// on stderr, so hack/bench can compare the time to Main of the two binaries; unset, that costs one getenv.
var main = Stopwatch.GetTimestamp();
Console.WriteLine("hello");
if (Environment.GetEnvironmentVariable("OVS_MIRROR_TIMING") is { } value &&
    long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var spawn) && spawn <= main)
{
    var done = Stopwatch.GetTimestamp();
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"ovs-mirror-timing main={(main - spawn) / 1e6:0.000} output={(done - main) / 1e6:0.000} total={(done - spawn) / 1e6:0.000}"));
}
