using System.Text.Json;
using System.Text.Json.Nodes;

namespace OvsMirror.Cni;

/// <summary>Reads the text of a JSON string value of a <see cref="JsonNode"/> tree.</summary>
public static class JsonStringValue
{
    /// <summary>
    /// True, with its text, when <paramref name="node"/> is a JSON string.
    /// </summary>
    /// <remarks>
    /// Not <c>GetValue&lt;string&gt;()</c> on the hot path: it is a generic virtual method, which NativeAOT resolves
    /// at run time on first use (the type loader builds the instantiation), part of every CNI call (issue 14).
    /// <see cref="JsonNode.ToString"/> returns the unquoted text of a string parsed from a <see cref="JsonElement"/>
    /// (as <see cref="NetworkConfigParser"/> parses) or created from a string; any other kind of string node
    /// writes itself as a JSON string literal, so a result that could be one is decoded by the typed accessor or,
    /// when the node holds no string (a Guid, a DateTime), from the literal.
    /// </remarks>
    public static bool TryRead(JsonNode? node, out string text)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            text = string.Empty;
            return false;
        }

        text = value.ToString();
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            // Either a string that is itself quoted, or a node that wrote itself as a JSON literal (one parsed by
            // JsonNode.Parse(string), a Guid, a DateTime): the typed accessor or, for the latter, the literal decides.
            if (value.TryGetValue<string>(out var typed))
            {
                text = typed;
            }
            else
            {
                using var literal = JsonDocument.Parse(text);
                text = literal.RootElement.GetString()!;
            }
        }

        return true;
    }
}
