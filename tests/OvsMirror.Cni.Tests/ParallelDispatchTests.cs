using System.Collections.Concurrent;

namespace OvsMirror.Cni.Tests;

/// <summary>Dispatchers share nothing, so many can run at once in one process (as the race tests will).</summary>
public sealed class ParallelDispatchTests
{
    [Fact]
    public void ManyDispatchers_InParallel_EachSeeOnlyTheirOwnInvocation()
    {
        const int count = 64;
        var plugins = Enumerable.Range(0, count).Select(_ => new RecordingPlugin()).ToArray();
        var commands = Enumerable.Range(0, count).Select(i => (i % 3) switch { 0 => "ADD", 1 => "DEL", _ => "CHECK" }).ToArray();
        var runs = Enumerable.Range(0, count)
            .Select(i => CniRun.For(commands[i], TestConfigs.Json(i % 2 == 0 ? "1.0.0" : "0.4.0"))
                .With("CNI_CONTAINERID", $"pod{i}")
                .With("CNI_ARGS", $"K8S_POD_NAME=pod-{i}"))
            .ToArray();
        var outcomes = new CniOutcome?[count];
        var failures = new ConcurrentQueue<Exception>();

        // One dedicated thread per dispatcher, released together, so the runs really overlap.
        using var start = new Barrier(count);
        var threads = Enumerable.Range(0, count).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                outcomes[i] = runs[i].Run(plugins[i]);
            }
#pragma warning disable CA1031 // Rethrown below on the test thread, where the test can report it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Enqueue(e);
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        failures.Should().BeEmpty();
        for (int i = 0; i < count; i++)
        {
            var outcome = outcomes[i]!;
            outcome.ExitCode.Should().Be(0, outcome.Stdout);
            var request = plugins[i].Single;
            request.ContainerId.Should().Be($"pod{i}");
            request.Args["K8S_POD_NAME"].Should().Be($"pod-{i}");
            request.NetworkConfig.CniVersion.Should().Be(i % 2 == 0 ? "1.0.0" : "0.4.0");
            if (commands[i] == "ADD")
            {
                outcome.Json["cniVersion"]!.GetValue<string>().Should().Be(request.NetworkConfig.CniVersion);
            }
            else
            {
                outcome.Stdout.Should().BeEmpty();
            }
        }
    }
}
