using System.Diagnostics;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// Runs plugin calls on dedicated threads released together by one <see cref="Barrier"/> (DESIGN §6: "run the
/// handlers in-process from threads released by one barrier"). Each call opens its own OVSDB connection, as the
/// plugin process does.
/// <para>Optionally the ovsdb-server is paused (SIGSTOP) before the threads start and resumed only once every caller
/// has connected (<see cref="ListenQueue"/>: its connection waits in the paused server's accept queue) and had a
/// moment to send its first request. A paused server reads nothing, so every caller's first read
/// is queued behind the others and answered from the same state: their first writes were all planned from that
/// state and meet in the server, instead of being staggered by thread start-up as a plain barrier still leaves
/// them (DESIGN §6: 16 processes "in parallel" against a racy peer collided in 0 of 10 rounds). For the requests to
/// meet, the callers also need one listening socket each (<see cref="RaceRemotes"/>).</para>
/// </summary>
internal static class RaceCallers
{
    /// <summary>
    /// How long the server stays paused once every caller has connected: a caller sends its request right after its
    /// connect returns, with nothing that blocks in between. This only makes the race likelier; no outcome depends
    /// on it (the tests that count collisions take the best of many rounds).
    /// </summary>
    public static readonly TimeSpan SendGrace = TimeSpan.FromMilliseconds(20);

    /// <summary>An upper bound for every caller to connect to the paused server; only a broken rig reaches it.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs every call at once and returns their results, in order.</summary>
    /// <param name="sandbox">The server.</param>
    /// <param name="calls">One call per thread.</param>
    /// <param name="pauseServer">Pause the server until every caller has connected to one of <paramref name="remotes"/>.</param>
    /// <param name="remotes">The listening sockets the callers use; required with <paramref name="pauseServer"/>.</param>
    public static PluginRun[] RunTogether(OvsSandbox sandbox, IReadOnlyList<Func<PluginRun>> calls, bool pauseServer, RaceRemotes? remotes = null)
    {
        if (pauseServer && remotes is null)
        {
            throw new ArgumentException("a paused round needs the callers' listening sockets to know when they have connected", nameof(remotes));
        }

        var results = new PluginRun?[calls.Count];
        var errors = new Exception?[calls.Count];
        using var barrier = new Barrier(calls.Count + 1);
        var threads = new Thread[calls.Count];
        for (var i = 0; i < calls.Count; i++)
        {
            var index = i;
            threads[i] = new Thread(() =>
            {
                barrier.SignalAndWait();
                try
                {
                    results[index] = calls[index]();
                }
#pragma warning disable CA1031 // reported below, with the call it came from
                catch (Exception e)
#pragma warning restore CA1031
                {
                    errors[index] = e;
                }
            })
            {
                IsBackground = true,
                Name = $"race caller {index}",
            };
        }

        if (pauseServer)
        {
            sandbox.Pause();
        }

        try
        {
            foreach (var thread in threads)
            {
                thread.Start();
            }

            barrier.SignalAndWait();
            if (pauseServer)
            {
                ListenQueue.WaitFor(remotes!.Paths, calls.Count, ConnectTimeout);
                Thread.Sleep(SendGrace);
            }
        }
        finally
        {
            if (pauseServer)
            {
                sandbox.Resume();
            }
        }

        foreach (var thread in threads)
        {
            thread.Join(JoinTimeout).Should().BeTrue($"{thread.Name} should finish within its plugin timeout");
        }

        for (var i = 0; i < calls.Count; i++)
        {
            errors[i].Should().BeNull($"call {i} should return a CNI result, not throw");
        }

        return [.. results.Select(r => r!)];
    }

    /// <summary>Busy-waits (a sleep is too coarse to stagger two callers by less than a millisecond).</summary>
    public static void SpinFor(TimeSpan delay)
    {
        var until = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(20);
        }
    }
}
