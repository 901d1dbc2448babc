using System.Text;
using OvsMirror.Ovsdb;

namespace OvsMirror.Ovsdb.Tests;

/// <summary>
/// Replies the fuzzer (tests/OvsMirror.Fuzz, target ovsdb-reply; inputs in crashes/ovsdb-reply/) found to escape as
/// KeyNotFoundException or InvalidOperationException, which the CNI dispatcher reports as code 999 "a bug". A server
/// breaking RFC 7047 is an <see cref="OvsdbProtocolException"/>, like any other malformed message.
/// </summary>
public sealed class FuzzFoundReplyTests
{
    private static Transaction TwoSelects() => new Transaction("Open_vSwitch")
        .Add(new SelectOperation("Mirror", Where.All, ["name"]))
        .Add(new SelectOperation("Bridge", Where.All, ["name"]));

    private static Action Transact(byte[] reply) => () =>
    {
        using var connection = CannedReplyTransport.Connection(reply);
        connection.Transact(TwoSelects());
    };

    [Fact]
    public void Reply_WithNeitherResultNorError_IsAProtocolError() =>
        Transact("{\"id\":1,\"error\":null}"u8.ToArray()).Should().Throw<OvsdbProtocolException>().WithMessage("*neither an error nor a result*");

    [Fact]
    public void Reply_WithInvalidUtf8_IsAProtocolError() =>
        Transact([.. "{\"id\":1,\"error\":\""u8.ToArray(), 0xF2, .. "x\",\"details\":null}"u8.ToArray()])
            .Should().Throw<OvsdbProtocolException>().WithMessage("*not valid UTF-8*");

    [Fact]
    public void ErrorReply_WithALoneSurrogateEscape_IsAProtocolError() =>
        Transact(Encoding.UTF8.GetBytes("{\"id\":1,\"error\":\"\\ud800\",\"details\":null}"))
            .Should().Throw<OvsdbProtocolException>().WithMessage("malformed reply to transact*");

    [Fact]
    public void Row_WithALoneSurrogateEscape_IsAProtocolError() =>
        Transact(Encoding.UTF8.GetBytes("{\"id\":1,\"result\":[{\"rows\":[{\"name\":\"\\udc00\"}]},{\"rows\":[]}],\"error\":null}"))
            .Should().Throw<OvsdbProtocolException>().WithMessage("malformed reply to transact*");

    [Fact]
    public void ListDbs_WhoseResultIsNotAnArray_IsAProtocolError()
    {
        using var connection = CannedReplyTransport.Connection("{\"id\":1,\"result\":{\"db\":1},\"error\":null}"u8.ToArray());

        connection.Invoking(c => c.ListDatabases()).Should().Throw<OvsdbProtocolException>();
    }

    [Fact]
    public void ServerRequest_WhoseMethodIsNotAString_IsAProtocolError() =>
        Transact("{\"id\":\"echo\",\"method\":[],\"params\":[]}{\"id\":1,\"result\":[{\"rows\":[]},{\"rows\":[]}],\"error\":null}"u8.ToArray())
            .Should().Throw<OvsdbProtocolException>().WithMessage("*method must be a string*");
}
