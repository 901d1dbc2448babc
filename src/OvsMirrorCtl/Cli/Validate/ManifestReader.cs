using System.Text.Json.Nodes;
using SharpYaml;
using SharpYaml.Model;

namespace OvsMirror.Cli.Validate;

/// <summary>
/// A Kubernetes manifest (YAML, one or more documents) as JSON trees, the way the API server sees it. Scalars stay
/// strings: every value <c>validate</c> reads (kind, metadata, spec.config, annotations) is a string in the API.
/// </summary>
internal static class ManifestReader
{
    /// <summary>The documents of <paramref name="yaml"/>; null documents (an empty one between two <c>---</c>) are skipped.</summary>
    /// <exception cref="ManifestException">The YAML is malformed, or a mapping has a key twice.</exception>
    public static IReadOnlyList<JsonNode> Read(string yaml)
    {
        YamlStream stream;
        try
        {
            stream = YamlStream.Load(new StringReader(yaml), null);
        }
        catch (YamlException e)
        {
            // YAML 1.2 §7: SharpYaml's message and its 1-based position.
            throw new ManifestException($"not valid YAML at line {e.Start.Line + 1}, column {e.Start.Column + 1}: {e.Message}");
        }

        var documents = new List<JsonNode>();
        foreach (var document in stream)
        {
            if (document.Contents is { } contents && ToJson(contents) is { } node)
            {
                documents.Add(node);
            }
        }

        return documents;
    }

    private static JsonNode? ToJson(YamlElement element) => element switch
    {
        YamlMapping mapping => ToObject(mapping),
        YamlSequence sequence => new JsonArray([.. sequence.Select(ToJson)]),
        YamlValue { Value: "~" or "null" or "Null" or "NULL" or "", IsPlainImplicit: true } => null,
        YamlValue value => JsonValue.Create(value.Value),
        _ => throw new ManifestException($"unsupported YAML node {element.GetType().Name}"),
    };

    private static JsonObject ToObject(YamlMapping mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping)
        {
            var name = key is YamlValue scalar ? scalar.Value : throw new ManifestException("a mapping key is not a scalar");

            // YAML 1.2 §3.2.1.1: the keys of a mapping are unique.
            if (!result.TryAdd(name, value is null ? null : ToJson(value)))
            {
                throw new ManifestException($"key {name} appears twice in one mapping");
            }
        }

        return result;
    }
}
