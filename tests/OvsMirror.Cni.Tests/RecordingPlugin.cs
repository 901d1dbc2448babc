using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace OvsMirror.Cni.Tests;

/// <summary>
/// A fake plugin that records what it was asked and, by default, succeeds: ADD passes prevResult through.
/// <see cref="Behavior"/> replaces what every command does (to throw, or to wait for cancellation).
/// </summary>
internal sealed class RecordingPlugin : ICniPlugin
{
    public ConcurrentQueue<CniRequest> Requests { get; } = new();

    public Func<CniRequest, CancellationToken, Task>? Behavior { get; init; }

    public CniRequest Single => Requests.Should().ContainSingle().Subject;

    public async Task<JsonObject> AddAsync(CniRequest request, CancellationToken cancellationToken)
    {
        await RecordAsync(request, cancellationToken);
        return CniResult.PassThrough(request.NetworkConfig);
    }

    public Task DelAsync(CniRequest request, CancellationToken cancellationToken) => RecordAsync(request, cancellationToken);

    public Task CheckAsync(CniRequest request, CancellationToken cancellationToken) => RecordAsync(request, cancellationToken);

    public Task StatusAsync(CniRequest request, CancellationToken cancellationToken) => RecordAsync(request, cancellationToken);

    public Task GcAsync(CniRequest request, CancellationToken cancellationToken) => RecordAsync(request, cancellationToken);

    private Task RecordAsync(CniRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return Behavior?.Invoke(request, cancellationToken) ?? Task.CompletedTask;
    }
}
