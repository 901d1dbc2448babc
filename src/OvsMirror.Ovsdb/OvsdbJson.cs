using System.Text.Encodings.Web;
using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>How this client writes JSON. OVSDB is no HTML context, so only what RFC 8259 §7 requires is escaped.</summary>
public static class OvsdbJson
{
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };
}
