using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OvsMirror.Cni;

namespace OvsMirror.Mirroring.Config;

/// <summary>
/// Reads typed values out of the config's JSON tree. Every failure is a <see cref="CniException"/> with code 7
/// (CNI SPEC §Error: invalid network config) whose message names the key path and the expected type, never the value.
/// An absent key and a JSON null are both "absent", as in Go's decoder that ovs-cni configs are written for.
/// </summary>
internal static class ConfigValueReader
{
    /// <summary>The value of <paramref name="key"/>, or null when it is absent or JSON null.</summary>
    public static JsonNode? Get(JsonObject obj, string key) =>
        obj.TryGetPropertyValue(key, out var node) ? node : null;

    public static string? OptionalString(JsonObject obj, string key, string path)
    {
        var node = Get(obj, key);
        return node is null ? null : ReadString(node, path);
    }

    public static string RequiredNonEmptyString(JsonObject obj, string key, string path)
    {
        var node = Get(obj, key) ?? throw Invalid($"{path} is required");
        string value = ReadString(node, path);
        return value.Length > 0 ? value : throw Invalid($"{path} must not be empty");
    }

    public static string? OptionalNonEmptyString(JsonObject obj, string key, string path)
    {
        string? value = OptionalString(obj, key, path);
        return value is null || value.Length > 0 ? value : throw Invalid($"{path} must not be empty");
    }

    /// <summary>
    /// A string value. Control characters (U+0000-U+001F, U+007F-U+009F) are refused here, once for every key: no
    /// bridge, mirror, port or endpoint name has one, ovsdb-server drops the connection on a NUL (its JSON parser
    /// refuses "\u0000"), and the others would reach OVSDB and the logs as invisible bytes.
    /// </summary>
    public static string ReadString(JsonNode? node, string path)
    {
        string text = JsonStringValue.TryRead(node, out var value) ? value : throw Invalid($"{path} must be a string");
        int control = text.AsSpan().IndexOfAnyInRange('\u0000', '\u001f');
        if (control < 0)
        {
            control = text.AsSpan().IndexOfAnyInRange('\u007f', '\u009f');
        }

        return control < 0
            ? text
            : throw Invalid(string.Create(CultureInfo.InvariantCulture,
                $"{path} must not contain control characters (U+{(int)text[control]:X4} at character {control + 1})"));
    }

    public static bool? OptionalBool(JsonObject obj, string key, string path)
    {
        var node = Get(obj, key);
        if (node is null)
        {
            return null;
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid($"{path} must be a boolean"),
        };
    }

    public static int? OptionalInteger(JsonObject obj, string key, string path, int min, int max)
    {
        var node = Get(obj, key);
        return node is null ? null : ReadInteger(node, path, min, max);
    }

    /// <summary>
    /// A JSON number with an integral value (<c>100</c>, also <c>100.0</c> and <c>1e2</c>) in <paramref name="min"/>-<paramref name="max"/>.
    /// The offending number is shown: it is a number, not a secret.
    /// </summary>
    public static int ReadInteger(JsonNode? node, string path, int min, int max) => (int)ReadLong(node, path, min, max);

    /// <inheritdoc cref="ReadInteger"/>
    public static long ReadLong(JsonNode? node, string path, long min, long max)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            throw Invalid($"{path} must be an integer");
        }

        string text = value.ToJsonString();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return integer >= min && integer <= max
                ? integer
                : throw Invalid($"{path}: {integer.ToString(CultureInfo.InvariantCulture)} is outside {min}-{max}");
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && double.IsInteger(real))
        {
            return real >= min && real <= max
                ? (long)real
                : throw Invalid($"{path}: {real.ToString("R", CultureInfo.InvariantCulture)} is outside {min}-{max}");
        }

        throw Invalid($"{path} must be an integer");
    }

    public static JsonArray? OptionalArray(JsonObject obj, string key, string path)
    {
        var node = Get(obj, key);
        return node is null ? null : node as JsonArray ?? throw Invalid($"{path} must be an array");
    }

    public static JsonObject? OptionalObject(JsonObject obj, string key, string path)
    {
        var node = Get(obj, key);
        return node is null ? null : node as JsonObject ?? throw Invalid($"{path} must be an object");
    }

    /// <summary>A code 7 error (CNI SPEC §Error: invalid network config).</summary>
    public static CniException Invalid(string message) => new(CniErrorCode.InvalidNetworkConfig, message);
}
