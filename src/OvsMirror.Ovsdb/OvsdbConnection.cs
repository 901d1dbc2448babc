using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>
/// An RFC 7047 JSON-RPC connection to an OVSDB server over a unix or TCP stream socket. Replies are
/// matched to requests by id, so calls may run concurrently; the server's "echo" requests (§4.1.11)
/// are answered; every connect and call has a deadline.
/// </summary>
public sealed partial class OvsdbConnection : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonDocument>> _pending = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiveLoop;
    private long _nextId;
    private volatile Exception? _closedBecause;

    private OvsdbConnection(Socket socket, OvsdbEndpoint endpoint, TimeSpan callTimeout)
    {
        _socket = socket;
        Endpoint = endpoint;
        CallTimeout = callTimeout;
        _receiveLoop = ReceiveLoopAsync();
    }

    public OvsdbEndpoint Endpoint { get; }

    /// <summary>The deadline of each call made without an explicit one.</summary>
    public TimeSpan CallTimeout { get; }

    /// <summary>Connects within <paramref name="timeout"/>; that is also the deadline of each later call.</summary>
    /// <exception cref="OvsdbConnectionException">Nothing listens there, or the connection was refused.</exception>
    /// <exception cref="OvsdbTimeoutException">The connect did not finish in time.</exception>
    public static async Task<OvsdbConnection> ConnectAsync(OvsdbEndpoint endpoint, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Socket? socket = null;
        try
        {
            EndPoint target;
            if (endpoint.Kind == OvsdbEndpointKind.Unix)
            {
                socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                target = new UnixDomainSocketEndPoint(endpoint.Path);
            }
            else
            {
                var address = IPAddress.TryParse(endpoint.Host, out var ip)
                    ? ip
                    : (await Dns.GetHostAddressesAsync(endpoint.Host, deadline.Token).ConfigureAwait(false))[0];
                socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                target = new IPEndPoint(address, endpoint.Port);
            }

            await socket.ConnectAsync(target, deadline.Token).ConfigureAwait(false);
            return new OvsdbConnection(socket, endpoint, timeout);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket?.Dispose();
            throw new OvsdbTimeoutException($"connect to {endpoint} did not complete within {timeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is SocketException or IOException or IndexOutOfRangeException)
        {
            socket?.Dispose();
            throw new OvsdbConnectionException($"cannot connect to {endpoint}: {e.Message}", e);
        }
    }

    public static Task<OvsdbConnection> ConnectAsync(OvsdbEndpoint endpoint, CancellationToken cancellationToken = default) =>
        ConnectAsync(endpoint, DefaultTimeout, cancellationToken);

    /// <summary>RFC 7047 §4.1.3 (transact). The result may hold failed operations: check it.</summary>
    public async Task<TransactionResult> TransactAsync(Transaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        using var reply = await CallAsync("transact", transaction.WriteParams, cancellationToken).ConfigureAwait(false);
        return TransactionResult.FromJson(reply.RootElement.GetProperty("result"), transaction);
    }

    /// <summary>RFC 7047 §4.1.1 (list_dbs).</summary>
    public async Task<IReadOnlyList<string>> ListDatabasesAsync(CancellationToken cancellationToken = default)
    {
        using var reply = await CallAsync("list_dbs", static w => { w.WriteStartArray(); w.WriteEndArray(); },
            cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        foreach (var name in reply.RootElement.GetProperty("result").EnumerateArray())
        {
            names.Add(name.GetString() ?? throw new OvsdbProtocolException("list_dbs returned a non-string"));
        }

        return names;
    }

    /// <summary>RFC 7047 §4.1.2 (get_schema). Costly: keep it off hot paths.</summary>
    public async Task<OvsdbSchema> GetSchemaAsync(string database, CancellationToken cancellationToken = default)
    {
        using var reply = await CallAsync("get_schema", w =>
        {
            w.WriteStartArray();
            w.WriteStringValue(database);
            w.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
        return OvsdbSchema.FromJson(reply.RootElement.GetProperty("result"));
    }

    /// <summary>RFC 7047 §4.1.11 (echo): a liveness probe.</summary>
    public async Task EchoAsync(CancellationToken cancellationToken = default)
    {
        using var reply = await CallAsync("echo", static w =>
        {
            w.WriteStartArray();
            w.WriteStringValue("ovs-mirror");
            w.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends one JSON-RPC request and waits for its reply within <see cref="CallTimeout"/>. The reply is
    /// the whole response object; a non-null "error" is raised as <see cref="OvsdbRpcException"/>.
    /// </summary>
    public async Task<JsonDocument> CallAsync(string method, Action<Utf8JsonWriter> writeParams,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeParams);
        ThrowIfClosed();
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonDocument>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(CallTimeout);
        try
        {
            var request = new ArrayBufferWriter<byte>(512);
            using (var writer = new Utf8JsonWriter(request, OvsdbJson.WriterOptions))
            {
                // RFC 7047 §4: JSON-RPC 1.0 request {"method", "params", "id"}.
                writer.WriteStartObject();
                writer.WriteString("method", method);
                writer.WritePropertyName("params");
                writeParams(writer);
                writer.WriteNumber("id", id);
                writer.WriteEndObject();
            }

            await SendAsync(request.WrittenMemory, deadline.Token).ConfigureAwait(false);
            var document = await reply.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
            if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            {
                using (document)
                {
                    throw ToRpcException(method, error);
                }
            }

            return document;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowIfClosed();
            throw new OvsdbTimeoutException(
                $"{method} on {Endpoint} did not complete within {CallTimeout.TotalMilliseconds:0} ms");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close(new OvsdbConnectionException($"connection to {Endpoint} was closed"));
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OvsdbException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The loop already recorded why it ended; nothing is waiting for it any more.
        }

        _closing.Dispose();
        _writeLock.Dispose();
    }

    private async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (!data.IsEmpty)
            {
                var sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                data = data[sent..];
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            var failure = new OvsdbConnectionException($"connection to {Endpoint} failed while sending: {e.Message}", e);
            Close(failure);
            throw failure;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        await Task.Yield();
        var framer = new JsonMessageFramer();
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(framer.GetWriteBuffer(), SocketFlags.None, _closing.Token)
                    .ConfigureAwait(false);
                if (received == 0)
                {
                    Close(new OvsdbConnectionException($"{Endpoint} closed the connection"));
                    return;
                }

                framer.Advance(received);
                while (framer.TryReadMessage(out var message))
                {
                    // JsonDocument keeps the memory it parses: give it a copy the framer will not reuse.
                    var document = JsonDocument.Parse(message.ToArray());
                    await DispatchAsync(document).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Close(new OvsdbConnectionException($"connection to {Endpoint} failed: {e.Message}", e));
        }
        catch (Exception e) when (e is JsonException or OvsdbProtocolException)
        {
            Close(new OvsdbProtocolException($"{Endpoint} sent malformed JSON-RPC: {e.Message}", e));
        }
    }

    private async Task DispatchAsync(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new OvsdbProtocolException("a JSON-RPC message must be an object");
        }

        if (root.TryGetProperty("method", out var method))
        {
            using (document)
            {
                // RFC 7047 §4.1.11: answer the server's echo, or it drops the connection.
                if (method.ValueEquals("echo"u8) && root.TryGetProperty("id", out var echoId) &&
                    echoId.ValueKind != JsonValueKind.Null)
                {
                    await ReplyToEchoAsync(root, echoId).ConfigureAwait(false);
                }
            }

            // Notifications ("update", "locked", ...) belong to features this client does not use.
            return;
        }

        if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number &&
            id.TryGetInt64(out var number) && _pending.TryRemove(number, out var waiter))
        {
            if (!waiter.TrySetResult(document))
            {
                document.Dispose();
            }

            return;
        }

        // A reply nobody waits for any more (its caller timed out): drop it.
        document.Dispose();
    }

    private async Task ReplyToEchoAsync(JsonElement request, JsonElement id)
    {
        var reply = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(reply, OvsdbJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("id");
            id.WriteTo(writer);
            writer.WritePropertyName("result");
            if (request.TryGetProperty("params", out var parameters))
            {
                parameters.WriteTo(writer);
            }
            else
            {
                writer.WriteStartArray();
                writer.WriteEndArray();
            }

            writer.WriteNull("error");
            writer.WriteEndObject();
        }

        try
        {
            await SendAsync(reply.WrittenMemory, _closing.Token).ConfigureAwait(false);
        }
        catch (OvsdbConnectionException)
        {
            // SendAsync already closed the connection and failed the callers.
        }
    }

    private void Close(Exception reason)
    {
        if (_closedBecause is not null)
        {
            return;
        }

        _closedBecause = reason;
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        foreach (var pending in _pending)
        {
            pending.Value.TrySetException(reason);
        }
    }

    private void ThrowIfClosed()
    {
        if (_closedBecause is { } reason)
        {
            throw reason is OvsdbException ovsdb ? ovsdb : new OvsdbConnectionException(reason.Message, reason);
        }
    }

    private static OvsdbRpcException ToRpcException(string method, JsonElement error)
    {
        // RFC 7047 §3.1: an error is an object with "error" and optional "details"; be lenient with other shapes.
        if (error.ValueKind == JsonValueKind.Object)
        {
            var text = error.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                ? e.GetString()!
                : error.GetRawText();
            var details = error.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.String
                ? d.GetString()
                : null;
            return new OvsdbRpcException(method, text, details);
        }

        return new OvsdbRpcException(method, error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText(), null);
    }
}
