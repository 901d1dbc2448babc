using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>RFC 7047 §5.1 &lt;set&gt;: ["set", [&lt;atom&gt;*]], or the bare atom when it has exactly one element.</summary>
public sealed class OvsdbSet : OvsdbValue
{
    private readonly OvsdbAtom[] _atoms;

    private OvsdbSet(OvsdbAtom[] atoms) => _atoms = atoms;

    public static OvsdbSet Empty { get; } = new([]);

    public int Count => _atoms.Length;

    public static OvsdbSet Of(params OvsdbAtom[] atoms)
    {
        ArgumentNullException.ThrowIfNull(atoms);
        return atoms.Length == 0 ? Empty : new((OvsdbAtom[])atoms.Clone());
    }

    public static OvsdbSet Of(IEnumerable<OvsdbAtom> atoms) => Of([.. atoms]);

    public override IReadOnlyList<OvsdbAtom> AsAtoms() => _atoms;

    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);

        // RFC 7047 §5.1: "a set of exactly one element may be represented by the atom itself".
        if (_atoms.Length == 1)
        {
            _atoms[0].WriteTo(writer);
            return;
        }

        writer.WriteStartArray();
        writer.WriteStringValue("set");
        writer.WriteStartArray();
        foreach (var atom in _atoms)
        {
            atom.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
    }

    internal static OvsdbSet FromJsonPayload(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Array)
        {
            throw new OvsdbProtocolException($"set payload is not an array: {payload.GetRawText()}");
        }

        var atoms = new OvsdbAtom[payload.GetArrayLength()];
        var i = 0;
        foreach (var element in payload.EnumerateArray())
        {
            atoms[i++] = OvsdbAtom.FromJson(element);
        }

        return atoms.Length == 0 ? Empty : new(atoms);
    }
}
