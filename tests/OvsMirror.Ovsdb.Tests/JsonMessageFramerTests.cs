using System.Text;
using System.Text.Json;
using OvsMirror.Ovsdb;

namespace OvsMirror.Ovsdb.Tests;

public sealed class JsonMessageFramerTests
{
    // Six replies ovsdb-server 3.1.0 sent back to back, with no delimiter, for six requests.
    private static readonly byte[] RealReplies =
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Resources", "ovsdb-server-3.1-replies.bin"));

    private static readonly string[] ExpectedIds = ["1", "2", "3", "4", "\"e5\"", "6"];

    [Fact]
    public void RealReplies_SplitAtEveryByteOffset_YieldTheSameSixMessages()
    {
        for (var split = 0; split <= RealReplies.Length; split++)
        {
            var framer = new JsonMessageFramer();
            var ids = new List<string>();
            framer.Append(RealReplies.AsSpan(0, split));
            Drain(framer, ids);
            framer.Append(RealReplies.AsSpan(split));
            Drain(framer, ids);

            ids.Should().Equal(ExpectedIds, $"the stream was split at byte {split}");
            framer.Pending.Should().Be(0);
        }
    }

    [Fact]
    public void RealReplies_FedOneByteAtATime_YieldTheSameSixMessages()
    {
        var framer = new JsonMessageFramer(initialCapacity: 8);
        var ids = new List<string>();
        foreach (var b in RealReplies)
        {
            framer.Append([b]);
            Drain(framer, ids);
        }

        ids.Should().Equal(ExpectedIds);
    }

    [Fact]
    public void RealReplies_ReceivedThroughTheWriteBuffer_AtEveryChunkSize_YieldTheSameMessages()
    {
        for (var chunk = 1; chunk <= 97; chunk += 3)
        {
            var framer = new JsonMessageFramer(initialCapacity: 16);
            var ids = new List<string>();
            for (var offset = 0; offset < RealReplies.Length; offset += chunk)
            {
                var n = Math.Min(chunk, RealReplies.Length - offset);
                RealReplies.AsSpan(offset, n).CopyTo(framer.GetWriteBuffer(n).Span);
                framer.Advance(n);
                Drain(framer, ids);
            }

            ids.Should().Equal(ExpectedIds, $"chunks were {chunk} bytes");
        }
    }

    [Fact]
    public void BracesAndQuotesInsideStrings_DoNotEndTheMessage()
    {
        var text = "{\"id\":1,\"result\":[\"}]{[\\\"\\\\\",\"é}\"],\"error\":null} \n\t[1,[2]]";
        var framer = new JsonMessageFramer();
        framer.Append(Encoding.UTF8.GetBytes(text));

        framer.TryReadMessage(out var first).Should().BeTrue();
        Encoding.UTF8.GetString(first.Span).Should().Be("{\"id\":1,\"result\":[\"}]{[\\\"\\\\\",\"é}\"],\"error\":null}");
        framer.TryReadMessage(out var second).Should().BeTrue();
        Encoding.UTF8.GetString(second.Span).Should().Be("[1,[2]]");
        framer.TryReadMessage(out _).Should().BeFalse();
    }

    [Fact]
    public void IncompleteMessage_IsHeldUntilTheRestArrives()
    {
        var framer = new JsonMessageFramer();
        framer.Append("{\"id\":1,\"res"u8);

        framer.TryReadMessage(out _).Should().BeFalse();
        framer.Pending.Should().Be(12);

        framer.Append("ult\":null}"u8);
        framer.TryReadMessage(out var message).Should().BeTrue();
        Encoding.UTF8.GetString(message.Span).Should().Be("{\"id\":1,\"result\":null}");
    }

    [Fact]
    public void ScalarBetweenMessages_IsAProtocolError()
    {
        var framer = new JsonMessageFramer();
        framer.Append("{\"id\":1} 42"u8);
        framer.TryReadMessage(out _).Should().BeTrue();

        var act = () => framer.TryReadMessage(out _);

        act.Should().Throw<OvsdbProtocolException>().WithMessage("*0x34*");
    }

    [Fact]
    public void MessageLargerThanTheLimit_IsAProtocolError()
    {
        var framer = new JsonMessageFramer(maxMessageBytes: 64);
        framer.Append(Encoding.UTF8.GetBytes("[\"" + new string('x', 100)));

        var act = () => framer.TryReadMessage(out _);

        act.Should().Throw<OvsdbProtocolException>().WithMessage("*exceeds 64 bytes*");
    }

    private static void Drain(JsonMessageFramer framer, List<string> ids)
    {
        while (framer.TryReadMessage(out var message))
        {
            using var document = JsonDocument.Parse(message);
            ids.Add(document.RootElement.GetProperty("id").GetRawText());
        }
    }
}
