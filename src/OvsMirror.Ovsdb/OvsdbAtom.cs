using System.Globalization;
using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>RFC 7047 §5.1 &lt;atom&gt;: a string, integer, real, boolean, uuid or named-uuid.</summary>
public sealed class OvsdbAtom : OvsdbValue, IEquatable<OvsdbAtom>
{
    private readonly string? _string;
    private readonly long _integer;
    private readonly double _real;
    private readonly Guid _uuid;

    private OvsdbAtom(OvsdbAtomKind kind, string? s = null, long i = 0, double r = 0, Guid u = default)
    {
        Kind = kind;
        _string = s;
        _integer = i;
        _real = r;
        _uuid = u;
    }

    public OvsdbAtomKind Kind { get; }

    public static OvsdbAtom FromString(string value) =>
        new(OvsdbAtomKind.String, s: value ?? throw new ArgumentNullException(nameof(value)));

    public static OvsdbAtom FromInteger(long value) => new(OvsdbAtomKind.Integer, i: value);

    public static OvsdbAtom FromReal(double value) => new(OvsdbAtomKind.Real, r: value);

    public static OvsdbAtom FromBoolean(bool value) => new(OvsdbAtomKind.Boolean, i: value ? 1 : 0);

    public static OvsdbAtom FromUuid(Guid value) => new(OvsdbAtomKind.Uuid, u: value);

    /// <summary>RFC 7047 §5.1 &lt;named-uuid&gt;, the uuid-name of an insert in the same transaction.</summary>
    public static OvsdbAtom FromNamedUuid(string uuidName)
    {
        ArgumentException.ThrowIfNullOrEmpty(uuidName);
        return new(OvsdbAtomKind.NamedUuid, s: uuidName);
    }

    public string AsString() => Kind == OvsdbAtomKind.String ? _string! : throw WrongKind(OvsdbAtomKind.String);

    public long AsInteger() => Kind == OvsdbAtomKind.Integer ? _integer : throw WrongKind(OvsdbAtomKind.Integer);

    /// <summary>A real; an integer atom also reads as a real, since JSON does not tell 2 from 2.0.</summary>
    public double AsReal() => Kind switch
    {
        OvsdbAtomKind.Real => _real,
        OvsdbAtomKind.Integer => _integer,
        _ => throw WrongKind(OvsdbAtomKind.Real),
    };

    public bool AsBoolean() => Kind == OvsdbAtomKind.Boolean ? _integer != 0 : throw WrongKind(OvsdbAtomKind.Boolean);

    public Guid AsUuid() => Kind == OvsdbAtomKind.Uuid ? _uuid : throw WrongKind(OvsdbAtomKind.Uuid);

    public string AsNamedUuid() =>
        Kind == OvsdbAtomKind.NamedUuid ? _string! : throw WrongKind(OvsdbAtomKind.NamedUuid);

    public override IReadOnlyList<OvsdbAtom> AsAtoms() => [this];

    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (Kind)
        {
            case OvsdbAtomKind.String:
                writer.WriteStringValue(_string);
                break;
            case OvsdbAtomKind.Integer:
                writer.WriteNumberValue(_integer);
                break;
            case OvsdbAtomKind.Real:
                writer.WriteNumberValue(_real);
                break;
            case OvsdbAtomKind.Boolean:
                writer.WriteBooleanValue(_integer != 0);
                break;
            case OvsdbAtomKind.Uuid:
                // RFC 7047 §5.1: <uuid> is ["uuid", <string>] in 8-4-4-4-12 form.
                writer.WriteStartArray();
                writer.WriteStringValue("uuid");
                writer.WriteStringValue(_uuid.ToString("D"));
                writer.WriteEndArray();
                break;
            case OvsdbAtomKind.NamedUuid:
                writer.WriteStartArray();
                writer.WriteStringValue("named-uuid");
                writer.WriteStringValue(_string);
                writer.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"unknown atom kind {Kind}");
        }
    }

    /// <summary>Reads an RFC 7047 §5.1 &lt;atom&gt;.</summary>
    public static new OvsdbAtom FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return FromString(element.GetString()!);
            case JsonValueKind.True:
                return FromBoolean(true);
            case JsonValueKind.False:
                return FromBoolean(false);
            case JsonValueKind.Number:
                return element.TryGetInt64(out var i) ? FromInteger(i) : FromReal(element.GetDouble());
            case JsonValueKind.Array when element.GetArrayLength() == 2 &&
                                          element[0].ValueKind == JsonValueKind.String &&
                                          element[1].ValueKind == JsonValueKind.String:
                var tag = element[0].GetString();
                var payload = element[1].GetString()!;
                if (tag == "uuid")
                {
                    return Guid.TryParseExact(payload, "D", out var uuid)
                        ? FromUuid(uuid)
                        : throw new OvsdbProtocolException($"malformed uuid atom \"{payload}\"");
                }

                if (tag == "named-uuid")
                {
                    return FromNamedUuid(payload);
                }

                break;
        }

        throw new OvsdbProtocolException($"not an OVSDB atom: {element.GetRawText()}");
    }

    public bool Equals(OvsdbAtom? other) =>
        other is not null && Kind == other.Kind && Kind switch
        {
            OvsdbAtomKind.String or OvsdbAtomKind.NamedUuid => string.Equals(_string, other._string, StringComparison.Ordinal),
            OvsdbAtomKind.Real => _real.Equals(other._real),
            OvsdbAtomKind.Uuid => _uuid == other._uuid,
            _ => _integer == other._integer,
        };

    public override bool Equals(object? obj) => obj is OvsdbAtom other && Equals(other);

    public override int GetHashCode() => Kind switch
    {
        OvsdbAtomKind.String or OvsdbAtomKind.NamedUuid => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(_string!)),
        OvsdbAtomKind.Real => HashCode.Combine(Kind, _real),
        OvsdbAtomKind.Uuid => HashCode.Combine(Kind, _uuid),
        _ => HashCode.Combine(Kind, _integer),
    };

    public override string ToString() => Kind switch
    {
        OvsdbAtomKind.String => _string!,
        OvsdbAtomKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        OvsdbAtomKind.Real => _real.ToString("R", CultureInfo.InvariantCulture),
        OvsdbAtomKind.Boolean => _integer != 0 ? "true" : "false",
        OvsdbAtomKind.Uuid => _uuid.ToString("D"),
        _ => _string!,
    };

    private InvalidOperationException WrongKind(OvsdbAtomKind wanted) =>
        new($"OVSDB atom is a {Kind}, not a {wanted}");
}
