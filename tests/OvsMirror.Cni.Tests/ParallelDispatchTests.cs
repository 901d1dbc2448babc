namespace OvsMirror.Cni.Tests;

/// <summary>Dispatchers share nothing, so many can run at once in one process (as the race tests will).</summary>
public sealed class ParallelDispatchTests
{
    [Fact]
    public async Task ManyDispatchers_InParallel_EachSeeOnlyTheirOwnInvocation()
    {
        const int count = 64;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var plugins = Enumerable.Range(0, count).Select(_ => new RecordingPlugin()).ToArray();

        var running = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            string command = (i % 3) switch { 0 => "ADD", 1 => "DEL", _ => "CHECK" };
            var run = CniRun.For(command, TestConfigs.Json(i % 2 == 0 ? "1.0.0" : "0.4.0"))
                .With("CNI_CONTAINERID", $"pod{i}")
                .With("CNI_ARGS", $"K8S_POD_NAME=pod-{i}");
            await start.Task;
            return (i, command, await run.RunAsync(plugins[i]));
        })).ToArray();
        start.SetResult();
        var outcomes = await Task.WhenAll(running);

        foreach (var (i, command, outcome) in outcomes)
        {
            outcome.ExitCode.Should().Be(0, outcome.Stdout);
            var request = plugins[i].Single;
            request.ContainerId.Should().Be($"pod{i}");
            request.Args["K8S_POD_NAME"].Should().Be($"pod-{i}");
            request.NetworkConfig.CniVersion.Should().Be(i % 2 == 0 ? "1.0.0" : "0.4.0");
            if (command == "ADD")
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
