using System.Diagnostics;
using System.Text.Json;
using OvsMirror.Ovsdb;

namespace OvsMirror.Ovsdb.Tests;

public sealed class OvsdbConnectionProtocolTests
{
    /// <summary>Only a bound against hangs: no outcome depends on it, so it is generous for a loaded machine.</summary>
    private static readonly TimeSpan TestDeadline = TimeSpan.FromSeconds(60);

    /// <summary>The deadline of a call that is meant to time out: long enough to be honoured, short enough to wait for.</summary>
    private static readonly TimeSpan ShortDeadline = TimeSpan.FromSeconds(1);

    /// <summary>An upper bound that only a hang would pass.</summary>
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(15);

    private static Transaction Comment() => new Transaction("Open_vSwitch").Comment("x");

    [Fact]
    public async Task EchoFromServer_IsAnsweredWithItsIdAndParams_WhileACallWaits()
    {
        using var cts = new CancellationTokenSource(TestDeadline);
        await using var peer = new ScriptedOvsdbPeer();
        using var connection = await peer.ConnectClientAsync(TimeSpan.FromSeconds(5), cts.Token);

        var call = Task.Run(() => connection.Transact(Comment(), cts.Token));
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
    public async Task LateReplyToACallThatTimedOut_IsSkipped_AndTheNextCallGetsItsOwn()
    {
        using var cts = new CancellationTokenSource(TestDeadline);
        await using var peer = new ScriptedOvsdbPeer();
        // Only the first call gets a short deadline; the second has the connection's generous one, so a slow
        // scheduler cannot make the second time out too.
        using var connection = await peer.ConnectClientAsync(TestDeadline, cts.Token);
        connection.Deadline = Stopwatch.GetTimestamp() + (long)(ShortDeadline.TotalSeconds * Stopwatch.Frequency);

        var first = () => connection.Transact(new Transaction("db").Mutate("T", Where.All, Mutation.Add("n", 1)), cts.Token);
        first.Should().Throw<OvsdbTimeoutException>();
        connection.Deadline = null;
        using var r1 = await peer.ReceiveAsync(cts.Token);

        var second = Task.Run(() => connection.Transact(new Transaction("db").Mutate("T", Where.All, Mutation.Add("n", 2)), cts.Token));
        using var r2 = await peer.ReceiveAsync(cts.Token);
        var id1 = r1.RootElement.GetProperty("id").GetInt64();
        var id2 = r2.RootElement.GetProperty("id").GetInt64();
        id2.Should().NotBe(id1);
        await peer.SendAsync($"{{\"id\":{id1},\"result\":[{{\"count\":1}}],\"error\":null}}" +
                             $"{{\"id\":{id2},\"result\":[{{\"count\":2}}],\"error\":null}}", ct: cts.Token);

        (await second)[0].Count.Should().Be(2);
    }

    [Fact]
    public async Task ErrorReply_IsATypedRpcException()
    {
        using var cts = new CancellationTokenSource(TestDeadline);
        await using var peer = new ScriptedOvsdbPeer();
        using var connection = await peer.ConnectClientAsync(TimeSpan.FromSeconds(5), cts.Token);

        var call = Task.Run(() => connection.Transact(Comment(), cts.Token));
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
        using var connection = await peer.ConnectClientAsync(ShortDeadline, cts.Token);
        var clock = Stopwatch.StartNew();

        var act = () => connection.Transact(Comment(), cts.Token);

        act.Should().Throw<OvsdbTimeoutException>().WithMessage("transact*within 1000 ms");
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(ShortDeadline, "the call waits for its deadline, not less");
        clock.Elapsed.Should().BeLessThan(HangBound, "and then gives up: no hang");
    }

    [Fact]
    public async Task ServerHangingUp_FailsTheWaitingCall()
    {
        using var cts = new CancellationTokenSource(TestDeadline);
        await using var peer = new ScriptedOvsdbPeer();
        using var connection = await peer.ConnectClientAsync(TestDeadline, cts.Token);
        var clock = Stopwatch.StartNew();

        var call = Task.Run(() => connection.Transact(Comment(), cts.Token));
        using var request = await peer.ReceiveAsync(cts.Token);
        peer.HangUp();

        // The exception type tells a hang-up from a deadline (that would be OvsdbTimeoutException, after 60 s).
        await call.Invoking(c => c).Should().ThrowAsync<OvsdbConnectionException>().WithMessage("*closed*");
        clock.Elapsed.Should().BeLessThan(HangBound, "a hang-up is noticed at once, not at the deadline");
        connection.Invoking(c => c.Echo(cts.Token)).Should().Throw<OvsdbConnectionException>();
    }

    [Fact]
    public async Task MalformedStream_FailsTheWaitingCallAsAProtocolError()
    {
        using var cts = new CancellationTokenSource(TestDeadline);
        await using var peer = new ScriptedOvsdbPeer();
        using var connection = await peer.ConnectClientAsync(TimeSpan.FromSeconds(5), cts.Token);

        var call = Task.Run(() => connection.Transact(Comment(), cts.Token));
        using var request = await peer.ReceiveAsync(cts.Token);
        await peer.SendAsync("{\"id\": nonsense}", ct: cts.Token);

        await call.Invoking(c => c).Should().ThrowAsync<OvsdbProtocolException>();
    }

    [Fact]
    public void NothingListening_IsAConnectionError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"om-none-{Guid.NewGuid():N}.sock");

        var act = () => OvsdbConnection.Connect(OvsdbEndpoint.Unix(path), TimeSpan.FromSeconds(1));

        act.Should().Throw<OvsdbConnectionException>().WithMessage($"cannot connect to unix:{path}*");
    }
}
