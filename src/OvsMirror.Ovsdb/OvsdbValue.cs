using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>
/// A column value as RFC 7047 §5.1 defines it: an &lt;atom&gt;, a &lt;set&gt; or a &lt;map&gt;.
/// </summary>
public abstract class OvsdbValue
{
    private protected OvsdbValue()
    {
    }

    /// <summary>
    /// The value read as a set of atoms. RFC 7047 §5.1: a set of exactly one element may be sent as the
    /// bare atom, so an atom reads as a one-element set. A map is not a set.
    /// </summary>
    public abstract IReadOnlyList<OvsdbAtom> AsAtoms();

    /// <summary>Writes the value in its RFC 7047 §5.1 wire form.</summary>
    public abstract void WriteTo(Utf8JsonWriter writer);

    /// <summary>Reads any RFC 7047 §5.1 &lt;value&gt;.</summary>
    /// <exception cref="OvsdbProtocolException">The JSON is not a valid OVSDB value.</exception>
    public static OvsdbValue FromJson(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() == 2 &&
            element[0].ValueKind == JsonValueKind.String)
        {
            var tag = element[0].GetString();
            if (tag == "set")
            {
                return OvsdbSet.FromJsonPayload(element[1]);
            }

            if (tag == "map")
            {
                return OvsdbMap.FromJsonPayload(element[1]);
            }
        }

        return OvsdbAtom.FromJson(element);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, OvsdbJson.WriterOptions))
        {
            WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
