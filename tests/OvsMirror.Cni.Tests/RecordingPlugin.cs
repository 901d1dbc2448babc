using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace OvsMirror.Cni.Tests;

/// <summary>
/// A fake plugin that records what it was asked and, by default, succeeds: ADD passes prevResult through.
/// <see cref="Behavior"/> replaces what every command does (to throw, or to block until cancelled).
/// </summary>
internal sealed class RecordingPlugin : ICniPlugin
{
    public ConcurrentQueue<CniRequest> Requests { get; } = new();

    public Action<CniRequest, CancellationToken>? Behavior { get; init; }

    public CniRequest Single => Requests.Should().ContainSingle().Subject;

    public JsonObject Add(CniRequest request, CancellationToken cancellationToken)
    {
        Record(request, cancellationToken);
        return CniResult.PassThrough(request.NetworkConfig);
    }

    public void Del(CniRequest request, CancellationToken cancellationToken) => Record(request, cancellationToken);

    public void Check(CniRequest request, CancellationToken cancellationToken) => Record(request, cancellationToken);

    public void Status(CniRequest request, CancellationToken cancellationToken) => Record(request, cancellationToken);

    public void Gc(CniRequest request, CancellationToken cancellationToken) => Record(request, cancellationToken);

    private void Record(CniRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        Behavior?.Invoke(request, cancellationToken);
    }
}
