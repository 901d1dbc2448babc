using System.Diagnostics;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// Runs plugin calls on dedicated threads released together by one <see cref="Barrier"/> (DESIGN §6: "run the
/// handlers in-process from threads released by one barrier"). Each call opens its own OVSDB connection, as the
/// plugin process does.
/// <para>Optionally the ovsdb-server is paused (SIGSTOP) before the threads start and resumed only after they have
/// had time to connect and send their first request. A paused server reads nothing, so every caller's first read
/// is queued behind the others and answered from the same state: their first writes were all planned from that
/// state and meet in the server, instead of being staggered by thread start-up as a plain barrier still leaves
/// them (DESIGN §6: 16 processes "in parallel" against a racy peer collided in 0 of 10 rounds). For the requests to
/// meet, the callers also need one listening socket each (<see cref="RaceRemotes"/>).</para>
/// </summary>
internal static class RaceCallers
{
    /// <summary>
    /// How long the server stays paused after the release. Enough for 32 warm callers on 2 cores to connect and
    /// send (well under a millisecond each); far below the plugin's 10 s default timeout.
    /// </summary>
    public static readonly TimeSpan PauseHold = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs every call at once and returns their results, in order.</summary>
    public static PluginRun[] RunTogether(OvsSandbox sandbox, IReadOnlyList<Func<PluginRun>> calls, bool pauseServer)
    {
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
                Thread.Sleep(PauseHold);
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
