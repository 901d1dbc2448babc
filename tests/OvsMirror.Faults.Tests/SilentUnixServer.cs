using System.Net.Sockets;

namespace OvsMirror.Faults.Tests;

/// <summary>How a fake OVSDB socket misbehaves.</summary>
internal enum SilentMode
{
    /// <summary>The socket file exists, bound, but nothing listens: connect(2) fails with ECONNREFUSED.</summary>
    BoundNotListening,

    /// <summary>Listening with a backlog, never accept(2)ed: connect succeeds, nothing is ever read or answered.</summary>
    ListeningNeverAccepting,

    /// <summary>Accepts and reads every request, never answers.</summary>
    AcceptingNeverAnswering,
}

/// <summary>A unix socket at <see cref="Path"/> that behaves like an OVSDB that is there and is not (RFC 7047 §4 never answered).</summary>
internal sealed class SilentUnixServer : IDisposable
{
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Socket> accepted = [];

    public SilentUnixServer(string path, SilentMode mode)
    {
        Path = path;
        socket.Bind(new UnixDomainSocketEndPoint(path));
        if (mode == SilentMode.BoundNotListening)
        {
            return;
        }

        socket.Listen(64);
        if (mode == SilentMode.AcceptingNeverAnswering)
        {
            _ = Task.Run(AcceptLoopAsync);
        }
    }

    public string Path { get; }

    public string Endpoint => "unix:" + Path;

    public void Dispose()
    {
        stop.Cancel();
        socket.Dispose();
        lock (accepted)
        {
            foreach (var s in accepted)
            {
                s.Dispose();
            }
        }

        File.Delete(Path);
        stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await socket.AcceptAsync(stop.Token);
                lock (accepted)
                {
                    accepted.Add(client);
                }

                _ = Task.Run(async () =>
                {
                    var buffer = new byte[4096];
                    try
                    {
                        while (await client.ReceiveAsync(buffer, stop.Token) > 0)
                        {
                            // read and drop: the request is never answered
                        }
                    }
                    catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                    {
                    }
                });
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
