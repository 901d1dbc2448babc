using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OvsMirror.Ovsdb;

namespace OvsMirror.Ovsdb.Tests;

/// <summary>
/// A scripted stand-in for ovsdb-server on a unix socket, for protocol behaviour the real server
/// cannot be made to show on demand (echo before a reply, replies out of order, silence, hang-ups).
/// </summary>
internal sealed class ScriptedOvsdbPeer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Socket _listener;
    private readonly JsonMessageFramer _framer = new();
    private Socket? _peer;

    public ScriptedOvsdbPeer()
    {
        _directory = Directory.CreateTempSubdirectory("om-peer.").FullName;
        Endpoint = OvsdbEndpoint.Unix(Path.Combine(_directory, "db.sock"));
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Endpoint.Path));
        _listener.Listen(4);
    }

    public OvsdbEndpoint Endpoint { get; }

    /// <summary>A client connected to this peer, with <paramref name="callTimeout"/> as its call deadline.</summary>
    public async Task<OvsdbConnection> ConnectClientAsync(TimeSpan callTimeout, CancellationToken ct)
    {
        var accept = AcceptAsync(ct);
        var connection = OvsdbConnection.Connect(Endpoint, callTimeout, ct);
        await accept;
        return connection;
    }

    public async Task AcceptAsync(CancellationToken ct) => _peer = await _listener.AcceptAsync(ct);

    /// <summary>Reads the next JSON-RPC message the client sent.</summary>
    public async Task<JsonDocument> ReceiveAsync(CancellationToken ct)
    {
        while (true)
        {
            if (_framer.TryReadMessage(out var message))
            {
                return JsonDocument.Parse(message.ToArray());
            }

            var n = await _peer!.ReceiveAsync(_framer.GetWriteBuffer(), SocketFlags.None, ct);
            if (n == 0)
            {
                throw new EndOfStreamException("client closed the connection");
            }

            _framer.Advance(n);
        }
    }

    /// <summary>Sends raw text, in pieces of at most <paramref name="chunk"/> bytes with a pause between.</summary>
    public async Task SendAsync(string text, int chunk = int.MaxValue, CancellationToken ct = default)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            await _peer!.SendAsync(bytes.AsMemory(offset, Math.Min(chunk, bytes.Length - offset)), SocketFlags.None, ct);
            if (chunk != int.MaxValue)
            {
                await Task.Delay(2, ct);
            }
        }
    }

    public void HangUp()
    {
        _peer?.Shutdown(SocketShutdown.Both);
        _peer?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        _peer?.Dispose();
        _listener.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
