namespace OvsMirror.Faults.Tests;

/// <summary>
/// Runs calls on dedicated threads released by one <see cref="Barrier"/> (DESIGN §6: make the requests meet), while
/// <paramref name="fault"/> runs on the test's thread; returns once every call has ended (within a generous bound).
/// </summary>
internal static class Together
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(60);

    public static FaultRun[] Run(IReadOnlyList<Func<FaultRun>> calls, Action? fault = null)
    {
        var results = new FaultRun?[calls.Count];
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
                Name = $"fault caller {index}",
            };
            threads[i].Start();
        }

        barrier.SignalAndWait();
        fault?.Invoke();
        foreach (var thread in threads)
        {
            thread.Join(JoinTimeout).Should().BeTrue($"{thread.Name} should end within its timeoutMs");
        }

        for (var i = 0; i < calls.Count; i++)
        {
            errors[i].Should().BeNull($"call {i} should return a CNI result, not throw");
        }

        return [.. results.Select(r => r!)];
    }
}
