using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using OvsMirror.Json;

namespace OvsMirror.Cni;

/// <summary>Writes the JSON CNI puts on stdout (CNI SPEC §Section 5: Success, Error, Version).</summary>
internal static class CniOutputWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // stdout is read by a CNI runtime, never embedded in HTML: keep quotes and non-ASCII readable.
        Encoder = MinimalJsonEncoder.Instance,
        Indented = false,
    };

    /// <summary>CNI SPEC §Error: <c>{"cniVersion", "code", "msg", "details"}</c>, details omitted when null.</summary>
    public static void WriteError(IBufferWriter<byte> output, string cniVersion, int code, string message, string? details)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("cniVersion", cniVersion);
        writer.WriteNumber("code", code);
        writer.WriteString("msg", message);
        if (details is not null)
        {
            writer.WriteString("details", details);
        }

        writer.WriteEndObject();
    }

    /// <summary>CNI SPEC §Version: <c>{"cniVersion", "supportedVersions"}</c>.</summary>
    public static void WriteVersion(IBufferWriter<byte> output, string cniVersion)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("cniVersion", cniVersion);
        writer.WriteStartArray("supportedVersions");
        foreach (string version in CniVersion.Supported)
        {
            writer.WriteStringValue(version);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>CNI SPEC §Success: the ADD result, as the plugin built it.</summary>
    public static void WriteResult(IBufferWriter<byte> output, JsonObject result)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        result.WriteTo(writer);
    }
}
