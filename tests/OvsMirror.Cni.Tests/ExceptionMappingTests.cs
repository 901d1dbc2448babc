namespace OvsMirror.Cni.Tests;

/// <summary>How the dispatcher turns what a plugin throws into a CNI error (CNI SPEC §Error).</summary>
public sealed class ExceptionMappingTests
{
    [Fact]
    public async Task Add_WhenPluginThrowsUnexpectedException_ReturnsCode999WithItsMessage()
    {
        var plugin = new RecordingPlugin { Behavior = (_, _) => throw new InvalidOperationException("boom in the planner") };

        var outcome = await CniRun.For("ADD", TestConfigs.Json()).RunAsync(plugin);

        outcome.ShouldFailWith(CniErrorCode.Generic);
        outcome.ErrorMessage.Should().Be("boom in the planner");
        outcome.Stderr.Should().Contain("System.InvalidOperationException").And.Contain("boom in the planner");
    }

    [Fact]
    public async Task Add_WhenPluginFaultsAsynchronously_ReturnsCode999()
    {
        var plugin = new RecordingPlugin
        {
            Behavior = async (_, ct) =>
            {
                await Task.Yield();
                throw new KeyNotFoundException("late failure");
            },
        };

        var outcome = await CniRun.For("ADD", TestConfigs.Json()).RunAsync(plugin);

        outcome.ShouldFailWith(CniErrorCode.Generic);
        outcome.ErrorMessage.Should().Be("late failure");
    }

    [Theory]
    [InlineData(CniErrorCode.UnknownContainer)]
    [InlineData(CniErrorCode.IoFailure)]
    [InlineData(CniErrorCode.TryAgainLater)]
    [InlineData(CniErrorCode.PluginNotAvailable)]
    [InlineData(CniErrorCode.PluginNotAvailableLimitedConnectivity)]
    [InlineData(123)]
    public async Task Command_WhenPluginThrowsCniException_KeepsItsCode(int code)
    {
        var plugin = new RecordingPlugin { Behavior = (_, _) => throw new CniException(code, "raised where it happened") };

        var outcome = await CniRun.For("STATUS", TestConfigs.Json("1.1.0")).RunAsync(plugin);

        outcome.ShouldFailWith(code);
        outcome.ErrorMessage.Should().Be("raised where it happened");
    }

    [Fact]
    public async Task Add_WithCancelledToken_ReturnsCode11()
    {
        var plugin = new RecordingPlugin();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var outcome = await CniRun.For("ADD", TestConfigs.Json()).RunAsync(plugin, cts.Token);

        outcome.ShouldFailWith(CniErrorCode.TryAgainLater);
        plugin.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Del_WhenDeadlineExpiresInsidePlugin_ReturnsCode11()
    {
        var plugin = new RecordingPlugin { Behavior = (_, ct) => Task.Delay(Timeout.Infinite, ct) };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var outcome = await CniRun.For("DEL", TestConfigs.Json()).RunAsync(plugin, cts.Token);

        outcome.ShouldFailWith(CniErrorCode.TryAgainLater);
        outcome.ErrorMessage.Should().Contain("deadline");
    }

    [Fact]
    public async Task Check_WhenPluginTimesOut_ReturnsCode11()
    {
        var plugin = new RecordingPlugin { Behavior = (_, _) => throw new TimeoutException("OVSDB did not answer in 2 s") };

        var outcome = await CniRun.For("CHECK", TestConfigs.Json()).RunAsync(plugin);

        outcome.ShouldFailWith(CniErrorCode.TryAgainLater);
    }

    [Fact]
    public async Task Add_WhenPluginReturnsNull_ReturnsCode999()
    {
        var outcome = await CniRun.For("ADD", TestConfigs.Json()).RunAsync(new NullResultPlugin());

        outcome.ShouldFailWith(CniErrorCode.Generic);
    }

    private sealed class NullResultPlugin : ICniPlugin
    {
        public Task<System.Text.Json.Nodes.JsonObject> AddAsync(CniRequest request, CancellationToken cancellationToken) =>
            Task.FromResult<System.Text.Json.Nodes.JsonObject>(null!);

        public Task DelAsync(CniRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CheckAsync(CniRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StatusAsync(CniRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task GcAsync(CniRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
