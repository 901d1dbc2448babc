using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>RFC 7047 §5.1 &lt;map&gt;: ["map", [[&lt;atom&gt;, &lt;atom&gt;]*]].</summary>
public sealed class OvsdbMap : OvsdbValue
{
    private readonly KeyValuePair<OvsdbAtom, OvsdbAtom>[] _pairs;

    private OvsdbMap(KeyValuePair<OvsdbAtom, OvsdbAtom>[] pairs) => _pairs = pairs;

    public static OvsdbMap Empty { get; } = new([]);

    public IReadOnlyList<KeyValuePair<OvsdbAtom, OvsdbAtom>> Pairs => _pairs;

    public int Count => _pairs.Length;

    public static OvsdbMap Of(IEnumerable<KeyValuePair<OvsdbAtom, OvsdbAtom>> pairs) => new([.. pairs]);

    /// <summary>A string-to-string map, the shape of every external_ids and other_config column.</summary>
    public static OvsdbMap OfStrings(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new([.. pairs.Select(p => KeyValuePair.Create(OvsdbAtom.FromString(p.Key), OvsdbAtom.FromString(p.Value)))]);

    /// <summary>The value of a string key, or null when absent.</summary>
    public OvsdbAtom? Get(string key)
    {
        foreach (var pair in _pairs)
        {
            if (pair.Key.Kind == OvsdbAtomKind.String && pair.Key.AsString() == key)
            {
                return pair.Value;
            }
        }

        return null;
    }

    /// <summary>The map read as strings, for string-keyed, string-valued columns such as external_ids.</summary>
    public Dictionary<string, string> ToStringDictionary()
    {
        var result = new Dictionary<string, string>(_pairs.Length, StringComparer.Ordinal);
        foreach (var pair in _pairs)
        {
            result[pair.Key.ToString()] = pair.Value.ToString();
        }

        return result;
    }

    public override IReadOnlyList<OvsdbAtom> AsAtoms() =>
        throw new InvalidOperationException("an OVSDB map is not a set of atoms");

    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteStringValue("map");
        writer.WriteStartArray();
        foreach (var pair in _pairs)
        {
            writer.WriteStartArray();
            pair.Key.WriteTo(writer);
            pair.Value.WriteTo(writer);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
    }

    internal static OvsdbMap FromJsonPayload(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Array)
        {
            throw new OvsdbProtocolException($"map payload is not an array: {payload.GetRawText()}");
        }

        var pairs = new KeyValuePair<OvsdbAtom, OvsdbAtom>[payload.GetArrayLength()];
        var i = 0;
        foreach (var element in payload.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != 2)
            {
                throw new OvsdbProtocolException($"map entry is not a [key, value] pair: {element.GetRawText()}");
            }

            pairs[i++] = KeyValuePair.Create(OvsdbAtom.FromJson(element[0]), OvsdbAtom.FromJson(element[1]));
        }

        return pairs.Length == 0 ? Empty : new(pairs);
    }
}
