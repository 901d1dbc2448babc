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
    /// writes itself as a JSON string literal, so a result that could be one takes the typed accessor instead.
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
            text = value.GetValue<string>();
        }

        return true;
    }
}
