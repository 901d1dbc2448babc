using System.Text;
using System.Text.Json.Nodes;

namespace OvsMirror.Cni.Tests;

/// <summary>JsonStringValue reads a string node's text whichever way System.Text.Json built the node.</summary>
public sealed class JsonStringValueTests
{
    public static TheoryData<string> Texts() => new() { "br1", "", "\"quoted\"", "\"", "a\"b", "é 😀", "\\n" };

    private static string Literal(string text) => JsonValue.Create(text).ToJsonString();

    [Theory]
    [MemberData(nameof(Texts))]
    public void AStringParsedFromUtf8Bytes_AsTheCniParserParses(string text)
    {
        var node = JsonNode.Parse(Encoding.UTF8.GetBytes("{\"k\":" + Literal(text) + "}"))!["k"];

        JsonStringValue.TryRead(node, out var read).Should().BeTrue();
        read.Should().Be(text);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void AStringParsedFromAString(string text)
    {
        var node = JsonNode.Parse("[" + Literal(text) + "]")![0];

        JsonStringValue.TryRead(node, out var read).Should().BeTrue();
        read.Should().Be(text);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void AStringCreatedInCode(string text)
    {
        JsonStringValue.TryRead(JsonValue.Create(text), out var read).Should().BeTrue();
        read.Should().Be(text);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void AStringDeserializedByTheSerializer(string text)
    {
        var node = System.Text.Json.JsonSerializer.Deserialize<JsonNode>("{\"k\":" + Literal(text) + "}")!["k"];

        JsonStringValue.TryRead(node, out var read).Should().BeTrue();
        read.Should().Be(text);
    }

    [Fact]
    public void ANodeThatHoldsNoStringButWritesOne_IsReadAsTheTextItWrites()
    {
        JsonStringValue.TryRead(JsonValue.Create(Guid.Empty), out var guid).Should().BeTrue();
        guid.Should().Be("00000000-0000-0000-0000-000000000000");
        JsonStringValue.TryRead(JsonValue.Create('"'), out var quote).Should().BeTrue();
        quote.Should().Be("\"");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[\"a\"]")]
    public void AnythingButAString_IsNotRead(string json)
    {
        JsonStringValue.TryRead(JsonNode.Parse("{\"k\":" + json + "}")!["k"], out var read).Should().BeFalse();
        read.Should().BeEmpty();
    }
}
