using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OvsMirror.Faults.Tests;

/// <summary>
/// A unix socket in front of a real ovsdb-server that forwards every JSON-RPC message both ways (RFC 7047 §4: JSON
/// values, concatenated), except the <see cref="FailNext"/>-th client "transact" whose text contains
/// <see cref="FailWhen"/>: that one it answers itself, as a server that refuses the transaction would
/// (RFC 7047 §4.1.3: a result array whose first element is an error), without forwarding it. The server never sees
/// the refused transaction, so OVSDB holds exactly what the other requests did.
/// </summary>
internal sealed class FaultProxy : IDisposable
{
    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly string upstream;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Socket> sockets = [];
    private int matched;

    public FaultProxy(string path, string upstreamPath)
    {
        Path = path;
        upstream = upstreamPath;
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(64);
        _ = Task.Run(AcceptLoopAsync);
    }

    public string Path { get; }

    public string Endpoint => "unix:" + Path;

    /// <summary>Substring of a client transact that makes it a candidate for refusal; null refuses none.</summary>
    public string? FailWhen { get; set; }

    /// <summary>Which candidate (1 = the first) is refused; later ones pass.</summary>
    public int FailNext { get; set; } = 1;

    public int Refused { get; private set; }

    public void Dispose()
    {
        stop.Cancel();
        listener.Dispose();
        lock (sockets)
        {
            foreach (var s in sockets)
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
                var client = await listener.AcceptAsync(stop.Token);
                var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await server.ConnectAsync(new UnixDomainSocketEndPoint(upstream), stop.Token);
                lock (sockets)
                {
                    sockets.Add(client);
                    sockets.Add(server);
                }

                var toClient = new SemaphoreSlim(1, 1);
                _ = Task.Run(() => PumpAsync(server, client, toClient, inspect: null));
                _ = Task.Run(() => PumpAsync(client, server, toClient, inspect: message => Intercept(message, client, toClient)));
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>True when the message was answered here instead of forwarded.</summary>
    private bool Intercept(string message, Socket client, SemaphoreSlim toClient)
    {
        if (FailWhen is not { } needle || !message.Contains("\"transact\"", StringComparison.Ordinal) ||
            !message.Contains(needle, StringComparison.Ordinal) || Interlocked.Increment(ref matched) != FailNext)
        {
            return false;
        }

        var request = JsonNode.Parse(message)!;
        // RFC 7047 §4.1.3: one result per operation (params less the database name); the operations after the one
        // that failed are not executed and their results are null.
        var results = new JsonArray(new JsonObject { ["error"] = "injected fault", ["details"] = "refused by FaultProxy" });
        for (var i = 2; i < request["params"]!.AsArray().Count; i++)
        {
            results.Add(null);
        }

        var reply = new JsonObject { ["id"] = request["id"]!.DeepClone(), ["error"] = null, ["result"] = results };
        Refused++;
        toClient.Wait();
        try
        {
            client.Send(Encoding.UTF8.GetBytes(reply.ToJsonString()));
        }
        finally
        {
            toClient.Release();
        }

        return true;
    }

    private async Task PumpAsync(Socket from, Socket to, SemaphoreSlim toLock, Func<string, bool>? inspect)
    {
        var buffer = new byte[65536];
        var pending = new List<byte>();
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, stop.Token);
                if (n == 0)
                {
                    break;
                }

                pending.AddRange(buffer.AsSpan(0, n).ToArray());
                foreach (var message in TakeMessages(pending))
                {
                    if (inspect is not null && inspect(message))
                    {
                        continue;
                    }

                    await toLock.WaitAsync(stop.Token);
                    try
                    {
                        await to.SendAsync(Encoding.UTF8.GetBytes(message), stop.Token);
                    }
                    finally
                    {
                        toLock.Release();
                    }
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    /// <summary>Splits complete top-level JSON values off the front of <paramref name="pending"/> (whitespace between them dropped).</summary>
    private static List<string> TakeMessages(List<byte> pending)
    {
        var messages = new List<string>();
        var bytes = pending.ToArray();
        var consumed = 0;
        try
        {
            while (consumed < bytes.Length)
            {
                var reader = new Utf8JsonReader(bytes.AsSpan(consumed), isFinalBlock: false, state: default);
                if (!reader.Read())
                {
                    break;
                }

                var start = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                {
                    break;
                }

                var end = (int)reader.BytesConsumed;
                messages.Add(Encoding.UTF8.GetString(bytes, consumed + start, end - start));
                consumed += end;
            }
        }
        catch (JsonException)
        {
            // not JSON: forward nothing more (the plugin under test never sends that)
        }

        pending.RemoveRange(0, consumed);
        return messages;
    }
}
