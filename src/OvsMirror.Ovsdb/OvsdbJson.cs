using System.Text.Json;
using OvsMirror.Json;

namespace OvsMirror.Ovsdb;

/// <summary>How this client writes JSON. OVSDB is no HTML context, so only what RFC 8259 §7 requires is escaped.</summary>
public static class OvsdbJson
{
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = MinimalJsonEncoder.Instance,
        Indented = false,
        SkipValidation = true,
    };
}
