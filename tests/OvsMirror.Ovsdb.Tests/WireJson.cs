using System.Buffers;
using System.Text;
using System.Text.Json;
using OvsMirror.Ovsdb;

namespace OvsMirror.Ovsdb.Tests;

/// <summary>Renders what the client would put on the wire, for byte-exact assertions.</summary>
internal static class WireJson
{
    public static string Of(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, OvsdbJson.WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Of(OvsdbValue value) => Of(value.WriteTo);

    public static OvsdbValue Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return OvsdbValue.FromJson(document.RootElement);
    }
}
