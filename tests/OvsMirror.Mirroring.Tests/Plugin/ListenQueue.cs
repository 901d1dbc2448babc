using System.Diagnostics;
using System.Globalization;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// How many connections wait, not yet accepted, on unix listening sockets (<c>ss -xln</c>: a listening socket's
/// Recv-Q is its accept queue). A paused server accepts nothing, so this tells when every race caller has connected:
/// a condition to wait for instead of a fixed hold.
/// </summary>
internal static class ListenQueue
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>Pending connections on the listening sockets at <paramref name="paths"/>.</summary>
    public static int Pending(IReadOnlyCollection<string> paths)
    {
        using var ss = Process.Start(new ProcessStartInfo(OvsTools.Require("ss"), ["-xlnH"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start ss");
        var output = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        var pending = 0;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // u_str LISTEN <Recv-Q> <Send-Q> <path> <inode> * 0
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[1] == "LISTEN" && paths.Contains(fields[4]))
            {
                pending += int.Parse(fields[2], CultureInfo.InvariantCulture);
            }
        }

        return pending;
    }

    /// <summary>Blocks until at least <paramref name="count"/> connections wait on <paramref name="paths"/>.</summary>
    public static void WaitFor(IReadOnlyCollection<string> paths, int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        int pending;
        while ((pending = Pending(paths)) < count)
        {
            Stopwatch.GetTimestamp().Should().BeLessThan(deadline,
                $"{count} callers should have connected to the paused server within {timeout.TotalSeconds:0} s (only {pending} did)");
            Thread.Sleep(PollInterval);
        }
    }
}
