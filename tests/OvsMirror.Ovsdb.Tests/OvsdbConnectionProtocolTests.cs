using System.Diagnostics;
using System.Text.Json;
using OvsMirror.Ovsdb;

namespace OvsMirror.Ovsdb.Tests;

public sealed class OvsdbConnectionProtocolTests
{
    private static readonly TimeSpan TestDeadline = TimeSpan.FromSeconds(10);

    private static Transaction Comment() => new Transaction("Open_vSwitch").Comment("x");

    [Fact]
    public async Task EchoFromServer_IsAnsweredWithItsIdAndParams_WhileACallWaits()
    {
        using var cts = new CancellationTokenSource(TestDeadline);
        await using var peer = new ScriptedOvsdbPeer();
        var accept = peer.AcceptAsync(cts.Token);
        await using var connection = await OvsdbConnection.ConnectAsync(peer.Endpoint, TimeSpan.FromSeconds(5), cts.Token);
        await accept;

        var call = connection.TransactAsync(Comment(), cts.Token);
        using var request = await peer.ReceiveAsync(cts.Token);
        var id = request.RootElement.GetProperty("id").GetInt64();
        request.RootElement.GetProperty("method").GetString().Should().Be("transact");

        // RFC 7047 §4.1.11: the server may probe with echo at any time; the reply arrives in small pieces.
        await peer.SendAsync("{\"id\":\"echo\",\"method\":\"echo\",\"params\":[\"probe\",7]}", ct: cts.Token);
        using var echoReply = await peer.ReceiveAsync(cts.Token);
        echoReply.RootElement.GetProperty("id").GetString().Should().Be("echo");
        echoReply.RootElement.GetProperty("result").GetRawText().Should().Be("[\"probe\",7]");
        echoReply.RootElement.GetProperty("error").ValueKind.Should().Be(JsonValueKind.Null);

        await peer.SendAsync($"{{\"id\":{id},\"result\":[{{}}],\"error\":null}}", chunk: 3, ct: cts.Token);
        var result = await call;

        result.Committed.Should().BeTrue();
    }

    [Fact]
    public async Task ConcurrentCalls_AnsweredOutOfOrder_EachGetItsOwnReply()
    {
        using var cts = new CancellationTokenSource(TestDeadline);
        await using var peer = new ScriptedOvsdbPeer();
        var accept = peer.AcceptAsync(cts.Token);
        await using var connection = await OvsdbConnection.ConnectAsync(peer.Endpoint, TimeSpan.FromSeconds(5), cts.Token);
        await accept;

        var first = connection.TransactAsync(new Transaction("db").Mutate("T", Where.All, Mutation.Add("n", 1)), cts.Token);
        var second = connection.TransactAsync(new Transaction("db").Mutate("T", Where.All, Mutation.Add("n", 2)), cts.Token);
        using var r1 = await peer.ReceiveAsync(cts.Token);
        using var r2 = await peer.ReceiveAsync(cts.Token);
        var ids = new Dictionary<long, long>
        {
            [r1.RootElement.GetProperty("id").GetInt64()] = r1.RootElement.GetProperty("params")[1].GetProperty("mutations")[0][2].GetInt64(),
            [r2.RootElement.GetProperty("id").GetInt64()] = r2.RootElement.GetProperty("params")[1].GetProperty("mutations")[0][2].GetInt64(),
        };

        // Answer the later request first; each reply's count echoes the request's increment.
        foreach (var (id, n) in ids.Reverse())
        {
            await peer.SendAsync($"{{\"id\":{id},\"result\":[{{\"count\":{n}}}],\"error\":null}}", ct: cts.Token);
        }

        (await first)[0].Count.Should().Be(1);
        (await second)[0].Count.Should().Be(2);
    }

    [Fact]
    public async Task ErrorReply_IsATypedRpcException()
    {
        using var cts = new CancellationTokenSource(TestDeadline);
        await using var peer = new ScriptedOvsdbPeer();
        var accept = peer.AcceptAsync(cts.Token);
        await using var connection = await OvsdbConnection.ConnectAsync(peer.Endpoint, TimeSpan.FromSeconds(5), cts.Token);
        await accept;

        var call = connection.TransactAsync(Comment(), cts.Token);
        using var request = await peer.ReceiveAsync(cts.Token);
        var id = request.RootElement.GetProperty("id").GetInt64();
        await peer.SendAsync($"{{\"id\":{id},\"error\":{{\"details\":\"transact request specifies unknown database Nope\",\"error\":\"unknown database\"}}}}", ct: cts.Token);

        var failure = (await call.Invoking(c => c).Should().ThrowAsync<OvsdbRpcException>()).Which;
        failure.Method.Should().Be("transact");
        failure.Error.Should().Be(OvsdbErrors.UnknownDatabase);
        failure.Details.Should().Contain("Nope");
    }

    [Fact]
    public async Task SilentServer_FailsTheCallWithinItsDeadline()
    {
        using var cts = new CancellationTokenSource(TestDeadline);
        await using var peer = new ScriptedOvsdbPeer();
        var accept = peer.AcceptAsync(cts.Token);
        await using var connection = await OvsdbConnection.ConnectAsync(peer.Endpoint, TimeSpan.FromMilliseconds(300), cts.Token);
        await accept;
        var clock = Stopwatch.StartNew();

        var act = () => connection.TransactAsync(Comment(), cts.Token);

        (await act.Should().ThrowAsync<OvsdbTimeoutException>()).WithMessage("transact*within 300 ms");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ServerHangingUp_FailsTheWaitingCall()
    {
        using var cts = new CancellationTokenSource(TestDeadline);
        await using var peer = new ScriptedOvsdbPeer();
        var accept = peer.AcceptAsync(cts.Token);
        await using var connection = await OvsdbConnection.ConnectAsync(peer.Endpoint, TimeSpan.FromSeconds(5), cts.Token);
        await accept;
        var clock = Stopwatch.StartNew();

        var call = connection.TransactAsync(Comment(), cts.Token);
        using var request = await peer.ReceiveAsync(cts.Token);
        peer.HangUp();

        await call.Invoking(c => c).Should().ThrowAsync<OvsdbConnectionException>().WithMessage("*closed*");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "a hang-up is noticed at once, not at the deadline");
        await connection.Invoking(c => c.EchoAsync(cts.Token)).Should().ThrowAsync<OvsdbConnectionException>();
    }

    [Fact]
    public async Task MalformedStream_FailsTheWaitingCallAsAProtocolError()
    {
        using var cts = new CancellationTokenSource(TestDeadline);
        await using var peer = new ScriptedOvsdbPeer();
        var accept = peer.AcceptAsync(cts.Token);
        await using var connection = await OvsdbConnection.ConnectAsync(peer.Endpoint, TimeSpan.FromSeconds(5), cts.Token);
        await accept;

        var call = connection.TransactAsync(Comment(), cts.Token);
        using var request = await peer.ReceiveAsync(cts.Token);
        await peer.SendAsync("{\"id\": nonsense}", ct: cts.Token);

        await call.Invoking(c => c).Should().ThrowAsync<OvsdbProtocolException>();
    }

    [Fact]
    public async Task NothingListening_IsAConnectionError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"om-none-{Guid.NewGuid():N}.sock");

        var act = () => OvsdbConnection.ConnectAsync(OvsdbEndpoint.Unix(path), TimeSpan.FromSeconds(1));

        (await act.Should().ThrowAsync<OvsdbConnectionException>()).WithMessage($"cannot connect to unix:{path}*");
    }
}
