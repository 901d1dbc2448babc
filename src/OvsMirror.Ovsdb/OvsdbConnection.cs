using System.Buffers;
using System.Diagnostics;
using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>
/// An RFC 7047 JSON-RPC connection to an OVSDB server (or to ovs-vswitchd's unixctl socket, which speaks
/// the same framing) over a unix or TCP stream socket.
/// <para>It is synchronous on purpose. A CNI plugin is a process of a few milliseconds that makes a
/// handful of sequential calls; asynchronous sockets or timers start the thread pool and the socket
/// engine, which costs more than the calls themselves (measured: ~3 ms of a ~10 ms NativeAOT run).
/// Sockets driven with poll(2)-based deadlines keep every call on the calling thread (unix and tcp endpoints
/// go straight to the syscalls: <see cref="PosixSocketTransport"/>).</para>
/// <para>Calls from several threads are serialized. Replies are matched by id, so a late reply to a call
/// that timed out is skipped; the server's "echo" requests (§4.1.11) are answered while a call waits.</para>
/// </summary>
public sealed class OvsdbConnection : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How often a blocked call looks at its cancellation token.</summary>
    private static readonly TimeSpan CancellationPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly IOvsdbTransport _transport;
    private readonly JsonMessageFramer _framer = new();
    private readonly ArrayBufferWriter<byte> _request = new(1024);
    private readonly Lock _gate = new();
    private long _nextId;
    private OvsdbException? _broken;

    /// <summary>Over a connected transport (the sockets' Connect, or a fuzz harness feeding arbitrary server bytes).</summary>
    internal OvsdbConnection(IOvsdbTransport transport, OvsdbEndpoint endpoint, TimeSpan callTimeout)
    {
        _transport = transport;
        Endpoint = endpoint;
        CallTimeout = callTimeout;
    }

    public OvsdbEndpoint Endpoint { get; }

    /// <summary>The deadline of each call.</summary>
    public TimeSpan CallTimeout { get; }

    /// <summary>Called with the method name after each successful call, for an opt-in timing breakdown.</summary>
    public Action<string>? CallCompleted { get; set; }

    /// <summary>An absolute deadline (a <see cref="Stopwatch"/> timestamp) no call may pass, or null.</summary>
    public long? Deadline { get; set; }

    /// <summary>Connects within <paramref name="timeout"/>; that is also the deadline of each later call.</summary>
    /// <exception cref="OvsdbConnectionException">Nothing listens there, or the connection was refused.</exception>
    /// <exception cref="OvsdbTimeoutException">The connect did not finish in time.</exception>
    public static OvsdbConnection Connect(OvsdbEndpoint endpoint, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        cancellationToken.ThrowIfCancellationRequested();
        var timeoutMs = (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
        IOvsdbTransport transport = endpoint.Kind == OvsdbEndpointKind.Unix
            ? PosixSocketTransport.ConnectUnix(endpoint.Path, timeoutMs)
            : PosixSocketTransport.ConnectTcp(endpoint, timeoutMs);
        return new OvsdbConnection(transport, endpoint, timeout);
    }

    public static OvsdbConnection Connect(OvsdbEndpoint endpoint, CancellationToken cancellationToken = default) =>
        Connect(endpoint, DefaultTimeout, cancellationToken);

    /// <summary>RFC 7047 §4.1.3 (transact). The result may hold failed operations: check it.</summary>
    public TransactionResult Transact(Transaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        using var reply = Call("transact", transaction.WriteParams, cancellationToken);
        return ParseReply("transact", () => TransactionResult.FromJson(reply.RootElement.GetProperty("result"), transaction));
    }

    /// <summary>RFC 7047 §4.1.1 (list_dbs).</summary>
    public IReadOnlyList<string> ListDatabases(CancellationToken cancellationToken = default)
    {
        using var reply = Call("list_dbs", static w => { w.WriteStartArray(); w.WriteEndArray(); }, cancellationToken);
        return ParseReply("list_dbs", () =>
        {
            var names = new List<string>();
            foreach (var name in reply.RootElement.GetProperty("result").EnumerateArray())
            {
                names.Add(name.GetString() ?? throw new OvsdbProtocolException("list_dbs returned a non-string"));
            }

            return names;
        });
    }

    /// <summary>RFC 7047 §4.1.2 (get_schema). Costly: keep it off hot paths.</summary>
    public OvsdbSchema GetSchema(string database, CancellationToken cancellationToken = default)
    {
        using var reply = Call("get_schema", w =>
        {
            w.WriteStartArray();
            w.WriteStringValue(database);
            w.WriteEndArray();
        }, cancellationToken);
        return ParseReply("get_schema", () => OvsdbSchema.FromJson(reply.RootElement.GetProperty("result")));
    }

    /// <summary>RFC 7047 §4.1.11 (echo): a liveness probe.</summary>
    public void Echo(CancellationToken cancellationToken = default)
    {
        using var reply = Call("echo", static w =>
        {
            w.WriteStartArray();
            w.WriteStringValue("ovs-mirror");
            w.WriteEndArray();
        }, cancellationToken);
    }

    /// <summary>
    /// Sends one JSON-RPC request and waits for its reply within <see cref="CallTimeout"/> (and
    /// <see cref="Deadline"/>). Returns the whole response object; a non-null "error" is raised as
    /// <see cref="OvsdbRpcException"/>.
    /// </summary>
    /// <exception cref="OvsdbTimeoutException">No reply in time.</exception>
    /// <exception cref="OvsdbConnectionException">The connection is closed or broke.</exception>
    /// <exception cref="OvsdbProtocolException">The peer sent something that is not JSON-RPC.</exception>
    public JsonDocument Call(string method, Action<Utf8JsonWriter> writeParams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeParams);
        lock (_gate)
        {
            ThrowIfBroken();
            var start = Stopwatch.GetTimestamp();
            var deadline = start + (long)(CallTimeout.TotalSeconds * Stopwatch.Frequency);
            if (Deadline is { } overall && overall < deadline)
            {
                deadline = overall;
            }

            var id = ++_nextId;
            _request.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_request, OvsdbJson.WriterOptions))
            {
                // RFC 7047 §4: JSON-RPC 1.0 request {"method", "params", "id"}.
                writer.WriteStartObject();
                writer.WriteString("method", method);
                writer.WritePropertyName("params");
                writeParams(writer);
                writer.WriteNumber("id", id);
                writer.WriteEndObject();
            }

            Send(_request.WrittenSpan, deadline, cancellationToken);
            while (true)
            {
                while (NextMessage() is { } document)
                {
                    if (IsReplyTo(document, id))
                    {
                        CallCompleted?.Invoke(method);
                        return ThrowIfError(method, document);
                    }
                }

                if (!WaitFor(forWrite: false, deadline, cancellationToken))
                {
                    throw new OvsdbTimeoutException(
                        $"{method} on {Endpoint} did not complete within {(deadline - start) * 1000.0 / Stopwatch.Frequency:0} ms");
                }

                Receive();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _broken ??= new OvsdbConnectionException($"connection to {Endpoint} was closed");
            _transport.Dispose();
        }
    }

    /// <summary>The next complete message already received, with the server's echo requests answered on the way.</summary>
    private JsonDocument? NextMessage()
    {
        while (true)
        {
            JsonDocument document;
            try
            {
                if (!_framer.TryReadMessage(out var message))
                {
                    return null;
                }

                // RFC 7047 §4 / RFC 7159 §8.1: JSON text is UTF-8. JsonDocument checks strings only when they are read,
                // so a bad byte would surface later, anywhere, as an InvalidOperationException: refuse it here.
                if (!System.Text.Unicode.Utf8.IsValid(message.Span))
                {
                    throw new OvsdbProtocolException("the message is not valid UTF-8");
                }

                // JsonDocument keeps the memory it parses: give it a copy the framer will not reuse.
                document = JsonDocument.Parse(message.ToArray());
            }
            catch (Exception e) when (e is JsonException or OvsdbProtocolException)
            {
                throw Break(new OvsdbProtocolException($"{Endpoint} sent malformed JSON-RPC: {e.Message}", e));
            }

            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("method", out var method))
            {
                if (method.ValueKind != JsonValueKind.String)
                {
                    // RFC 7047 §4 (JSON-RPC 1.0): "method" is a string.
                    document.Dispose();
                    throw Break(new OvsdbProtocolException("a JSON-RPC request's method must be a string"));
                }

                using (document)
                {
                    // RFC 7047 §4.1.11: answer the server's echo, or it drops the connection.
                    if (method.ValueEquals("echo"u8) && root.TryGetProperty("id", out var echoId) && echoId.ValueKind != JsonValueKind.Null)
                    {
                        ReplyToEcho(root, echoId);
                    }
                }

                // Notifications ("update", "locked", ...) belong to features this client does not use.
                continue;
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw Break(new OvsdbProtocolException("a JSON-RPC message must be an object"));
            }

            return document;
        }
    }

    private static bool IsReplyTo(JsonDocument document, long id)
    {
        if (document.RootElement.TryGetProperty("id", out var replyId) && replyId.ValueKind == JsonValueKind.Number &&
            replyId.TryGetInt64(out var number) && number == id)
        {
            return true;
        }

        // A reply to an earlier call that gave up waiting: skip it.
        document.Dispose();
        return false;
    }

    private static JsonDocument ThrowIfError(string method, JsonDocument document)
    {
        if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            using (document)
            {
                throw ParseReply(method, () => ToRpcException(method, error));
            }
        }

        // RFC 7047 §4 (JSON-RPC 1.0 response): a reply without an error has a "result".
        if (!document.RootElement.TryGetProperty("result", out _))
        {
            document.Dispose();
            throw new OvsdbProtocolException($"the reply to {method} has neither an error nor a result");
        }

        return document;
    }

    private void ReplyToEcho(JsonElement request, JsonElement id)
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

        Send(reply.WrittenSpan, Stopwatch.GetTimestamp() + (long)(CallTimeout.TotalSeconds * Stopwatch.Frequency), CancellationToken.None);
    }

    private void Send(ReadOnlySpan<byte> data, long deadline, CancellationToken cancellationToken)
    {
        try
        {
            while (!data.IsEmpty)
            {
                var sent = _transport.Send(data);
                if (sent > 0)
                {
                    data = data[sent..];
                }
                else if (!WaitFor(forWrite: true, deadline, cancellationToken))
                {
                    throw new OvsdbTimeoutException($"sending to {Endpoint} did not complete in time");
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw Break(new OvsdbConnectionException($"connection to {Endpoint} failed while sending: {e.Message}", e));
        }
    }

    private void Receive()
    {
        int received;
        try
        {
            received = _transport.Receive(_framer.GetWriteBuffer().Span);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw Break(new OvsdbConnectionException($"connection to {Endpoint} failed: {e.Message}", e));
        }

        if (received == 0)
        {
            throw Break(new OvsdbConnectionException($"{Endpoint} closed the connection"));
        }

        if (received > 0)
        {
            _framer.Advance(received);
        }
    }

    /// <summary>poll(2) until the transport is ready, the deadline passes (false) or the token is cancelled.</summary>
    private bool WaitFor(bool forWrite, long deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = RemainingMs(deadline);
            if (remaining <= 0)
            {
                return _transport.Wait(forWrite, 0);
            }

            var slice = cancellationToken.CanBeCanceled ? Math.Min(remaining, CancellationPollInterval.TotalMilliseconds) : remaining;
            if (_transport.Wait(forWrite, (int)Math.Ceiling(slice)))
            {
                return true;
            }
        }
    }

    private static double RemainingMs(long deadline) =>
        (deadline - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;

    private OvsdbException Break(OvsdbException reason)
    {
        _broken ??= reason;
        _transport.Dispose();
        return reason;
    }

    private void ThrowIfBroken()
    {
        if (_broken is { } reason)
        {
            throw reason is OvsdbProtocolException
                ? new OvsdbProtocolException(reason.Message, reason)
                : new OvsdbConnectionException(reason.Message, reason);
        }
    }

    /// <summary>
    /// Reads a reply whose JSON parsed. System.Text.Json reports a value of an unexpected kind, and a string whose
    /// escapes are not valid UTF-16 (RFC 7159 §8.2), as InvalidOperationException when it is read: that is the server
    /// breaking RFC 7047, a protocol error like any other, not a bug here.
    /// </summary>
    private static T ParseReply<T>(string method, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidOperationException e)
        {
            throw new OvsdbProtocolException($"malformed reply to {method}: {e.Message}", e);
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
