namespace OvsMirror.Cni.Tests;

/// <summary>How the dispatcher turns what a plugin throws into a CNI error (CNI SPEC §Error).</summary>
public sealed class ExceptionMappingTests
{
    [Fact]
    public void Add_WhenPluginThrowsUnexpectedException_ReturnsCode999WithItsMessage()
    {
        var plugin = new RecordingPlugin { Behavior = (_, _) => throw new InvalidOperationException("boom in the planner") };

        var outcome = CniRun.For("ADD", TestConfigs.Json()).Run(plugin);

        outcome.ShouldFailWith(CniErrorCode.Generic);
        outcome.ErrorMessage.Should().Be("boom in the planner");
        outcome.Stderr.Should().Contain("System.InvalidOperationException").And.Contain("boom in the planner");
    }

    [Fact]
    public void Add_WhenPluginFaultsDeepInsideItsWork_ReturnsCode999()
    {
        // The sync counterpart of a late, asynchronous fault: thrown from a nested call after the plugin has begun.
        var plugin = new RecordingPlugin
        {
            Behavior = (request, ct) =>
            {
                var lookup = new Dictionary<string, string>(StringComparer.Ordinal) { [request.ContainerId!] = "started" };
                ct.ThrowIfCancellationRequested();
                _ = lookup["late failure"];
            },
        };

        var outcome = CniRun.For("ADD", TestConfigs.Json()).Run(plugin);

        outcome.ShouldFailWith(CniErrorCode.Generic);
        outcome.ErrorMessage.Should().Contain("late failure");
        outcome.Stderr.Should().Contain("System.Collections.Generic.KeyNotFoundException");
    }

    [Theory]
    [InlineData(CniErrorCode.UnknownContainer)]
    [InlineData(CniErrorCode.IoFailure)]
    [InlineData(CniErrorCode.TryAgainLater)]
    [InlineData(CniErrorCode.PluginNotAvailable)]
    [InlineData(CniErrorCode.PluginNotAvailableLimitedConnectivity)]
    [InlineData(123)]
    public void Command_WhenPluginThrowsCniException_KeepsItsCode(int code)
    {
        var plugin = new RecordingPlugin { Behavior = (_, _) => throw new CniException(code, "raised where it happened") };

        var outcome = CniRun.For("STATUS", TestConfigs.Json("1.1.0")).Run(plugin);

        outcome.ShouldFailWith(code);
        outcome.ErrorMessage.Should().Be("raised where it happened");
    }

    [Fact]
    public void Add_WithCancelledToken_ReturnsCode11()
    {
        var plugin = new RecordingPlugin();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var outcome = CniRun.For("ADD", TestConfigs.Json()).Run(plugin, cts.Token);

        outcome.ShouldFailWith(CniErrorCode.TryAgainLater);
        plugin.Requests.Should().BeEmpty();
    }

    [Fact]
    public void Del_WhenDeadlineExpiresInsidePlugin_ReturnsCode11()
    {
        // Blocks the way a synchronous plugin waits on I/O: until the deadline fires (bounded, so a bug cannot hang the run).
        var plugin = new RecordingPlugin
        {
            Behavior = (_, ct) =>
            {
                ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
                ct.ThrowIfCancellationRequested();
            },
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var outcome = CniRun.For("DEL", TestConfigs.Json()).Run(plugin, cts.Token);

        outcome.ShouldFailWith(CniErrorCode.TryAgainLater);
        outcome.ErrorMessage.Should().Contain("deadline");
    }

    [Fact]
    public void Check_WhenPluginTimesOut_ReturnsCode11()
    {
        var plugin = new RecordingPlugin { Behavior = (_, _) => throw new TimeoutException("OVSDB did not answer in 2 s") };

        var outcome = CniRun.For("CHECK", TestConfigs.Json()).Run(plugin);

        outcome.ShouldFailWith(CniErrorCode.TryAgainLater);
    }

    [Fact]
    public void Add_WhenPluginReturnsNull_ReturnsCode999()
    {
        var outcome = CniRun.For("ADD", TestConfigs.Json()).Run(new NullResultPlugin());

        outcome.ShouldFailWith(CniErrorCode.Generic);
    }

    private sealed class NullResultPlugin : ICniPlugin
    {
        public System.Text.Json.Nodes.JsonObject Add(CniRequest request, CancellationToken cancellationToken) => null!;

        public void Del(CniRequest request, CancellationToken cancellationToken)
        {
        }

        public void Check(CniRequest request, CancellationToken cancellationToken)
        {
        }

        public void Status(CniRequest request, CancellationToken cancellationToken)
        {
        }

        public void Gc(CniRequest request, CancellationToken cancellationToken)
        {
        }
    }
}
