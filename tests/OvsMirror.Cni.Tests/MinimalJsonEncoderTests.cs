using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using OvsMirror.Json;

namespace OvsMirror.Cni.Tests;

/// <summary>
/// RFC 8259 §7: what the plugin's JSON writers escape. The oracles are System.Text.Json's reader (the text decodes
/// back to what was written) and the framework's UnsafeRelaxedJsonEscaping, which the plugin used before.
/// </summary>
public sealed class MinimalJsonEncoderTests
{
    private static readonly JsonWriterOptions Minimal = new() { Encoder = MinimalJsonEncoder.Instance };
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Write(JsonWriterOptions options, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private static string WriteString(JsonWriterOptions options, string value) =>
        Encoding.UTF8.GetString(Write(options, w => w.WriteStringValue(value)));

    [Fact]
    public void EveryAsciiCharacter_IsWrittenExactlyAsUnsafeRelaxedJsonEscapingWroteIt()
    {
        for (var c = 0; c < 0x80; c++)
        {
            var text = "a" + (char)c + "b";

            WriteString(Minimal, text).Should().Be(WriteString(Relaxed, text), $"U+{c:X4}");
        }
    }

    [Theory]
    [InlineData("\"", "\\\"")]
    [InlineData("\\", "\\\\")]
    [InlineData("\n\r\t\b\f", "\\n\\r\\t\\b\\f")]
    [InlineData("\u0000\u0001\u001f", "\\u0000\\u0001\\u001F")]
    [InlineData("\u007f\u0080\u009f", "\\u007F\\u0080\\u009F")]
    [InlineData("<a href='x'>&+`", "<a href='x'>&+`")]
    public void OnlyWhatRfc8259RequiresAndTheOtherControlCharacters_AreEscaped(string value, string inQuotes)
    {
        WriteString(Minimal, value).Should().Be("\"" + inQuotes + "\"");
        Encoding.UTF8.GetString(Write(Minimal, w => w.WriteStringValue(Encoding.UTF8.GetBytes(value))))
            .Should().Be("\"" + inQuotes + "\"", "UTF-8 input is escaped the same way");
    }

    [Theory]
    [InlineData("café")]
    [InlineData("网络-镜像")]
    [InlineData("pod 😀 \u2028 \u00a0 \ufeff")]
    public void NonAscii_IsWrittenAsUtf8_AndDecodesBackToTheSameText(string value)
    {
        var json = Write(Minimal, w => w.WriteStringValue(value));

        Encoding.UTF8.GetString(json).Should().Be("\"" + value + "\"");
        JsonDocument.Parse(json).RootElement.GetString().Should().Be(value);
    }

    [Fact]
    public void ALoneSurrogate_BecomesTheReplacementCharacter_AndTheOutputStaysValidUtf8()
    {
        var json = Write(Minimal, w => w.WriteStringValue("a\ud800b"));

        Utf8.IsValid(json).Should().BeTrue();
        JsonDocument.Parse(json).RootElement.GetString().Should().Be("a\ufffdb");
    }

    [Fact]
    public void InvalidUtf8Input_BecomesTheReplacementCharacter_AndTheOutputStaysValidUtf8()
    {
        byte[] invalid = [(byte)'a', 0xff, 0xc3, (byte)'"'];

        var json = Write(Minimal, w => w.WriteStringValue(invalid));

        Utf8.IsValid(json).Should().BeTrue();
        JsonDocument.Parse(json).RootElement.GetString().Should().Be("a\ufffd\ufffd\"");
    }

    [Fact]
    public void PropertyNames_AreEscapedTheSameWay()
    {
        var json = Encoding.UTF8.GetString(Write(Minimal, w =>
        {
            w.WriteStartObject();
            w.WriteString("ovs-mirror/l/c\"1/eth1/m1", "é");
            w.WriteEndObject();
        }));

        json.Should().Be("{\"ovs-mirror/l/c\\\"1/eth1/m1\":\"é\"}");
    }
}
