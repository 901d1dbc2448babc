using OvsMirror.Ovsdb;

namespace OvsMirror.Ovsdb.Tests;

public sealed class OvsdbValueEncodingTests
{
    private static readonly Guid U1 = Guid.Parse("15365daa-b3a4-49e9-a38f-23f42ead7011");
    private static readonly Guid U2 = Guid.Parse("525528f4-31c3-4d6a-861a-6f01f786bd0f");

    public static TheoryData<string, string> RoundTrips => new()
    {
        { "string", "\"mirror-1\"" },
        { "string with escapes and UTF-8", "\"a\\\"b\\\\cé\\n\"" },
        { "integer", "4094" },
        { "negative integer", "-7" },
        { "real", "1.5" },
        { "true", "true" },
        { "false", "false" },
        { "uuid", "[\"uuid\",\"15365daa-b3a4-49e9-a38f-23f42ead7011\"]" },
        { "named-uuid", "[\"named-uuid\",\"m\"]" },
        { "empty set", "[\"set\",[]]" },
        { "two-element set", "[\"set\",[100,200]]" },
        { "set of uuids", "[\"set\",[[\"uuid\",\"15365daa-b3a4-49e9-a38f-23f42ead7011\"],[\"uuid\",\"525528f4-31c3-4d6a-861a-6f01f786bd0f\"]]]" },
        { "empty map", "[\"map\",[]]" },
        { "map", "[\"map\",[[\"ovs-mirror/owner\",\"ovs-mirror\"],[\"k\",\"v\"]]]" },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Value_ReadThenWritten_IsTheSameWireText(string what, string json)
    {
        var value = WireJson.Parse(json);

        WireJson.Of(value).Should().Be(json, what);
    }

    [Fact]
    public void SetOfOne_IsWrittenAsTheBareAtom()
    {
        // RFC 7047 §5.1: a set of exactly one element may be represented by the atom itself.
        WireJson.Of(OvsdbSet.Of(OvsdbAtom.FromUuid(U1)))
            .Should().Be("[\"uuid\",\"15365daa-b3a4-49e9-a38f-23f42ead7011\"]");
        WireJson.Of(OvsdbSet.Of(OvsdbAtom.FromInteger(100))).Should().Be("100");
    }

    [Fact]
    public void EmptySet_IsWrittenAsSetWithEmptyArray()
    {
        WireJson.Of(OvsdbSet.Empty).Should().Be("[\"set\",[]]");
        WireJson.Of(OvsdbSet.Of()).Should().Be("[\"set\",[]]");
    }

    [Fact]
    public void BareAtomFromServer_ReadsAsOneElementSet()
    {
        var value = WireJson.Parse("[\"uuid\",\"15365daa-b3a4-49e9-a38f-23f42ead7011\"]");

        value.AsAtoms().Should().ContainSingle().Which.AsUuid().Should().Be(U1);
    }

    [Fact]
    public void SetFromServer_ReadsEveryElementInOrder()
    {
        var value = WireJson.Parse("[\"set\",[[\"uuid\",\"15365daa-b3a4-49e9-a38f-23f42ead7011\"],[\"uuid\",\"525528f4-31c3-4d6a-861a-6f01f786bd0f\"]]]");

        value.AsAtoms().Select(a => a.AsUuid()).Should().Equal(U1, U2);
    }

    [Fact]
    public void Map_ReadsAsStringDictionary()
    {
        var map = (OvsdbMap)WireJson.Parse("[\"map\",[[\"a\",\"b\"],[\"c\",\"d\"]]]");

        map.ToStringDictionary().Should().Equal(new Dictionary<string, string> { ["a"] = "b", ["c"] = "d" });
        map.Get("c")!.AsString().Should().Be("d");
        map.Get("missing").Should().BeNull();
    }

    [Fact]
    public void Atoms_OfDifferentKinds_AreNotEqual()
    {
        OvsdbAtom.FromString("1").Should().NotBe(OvsdbAtom.FromInteger(1));
        OvsdbAtom.FromUuid(U1).Should().Be(OvsdbAtom.FromUuid(U1));
        OvsdbAtom.FromNamedUuid("m").Should().NotBe(OvsdbAtom.FromString("m"));
    }

    [Fact]
    public void Atom_ReadAsTheWrongKind_Throws()
    {
        var act = () => OvsdbAtom.FromString("x").AsInteger();

        act.Should().Throw<InvalidOperationException>().WithMessage("*String*Integer*");
    }

    [Theory]
    [InlineData("[\"uuid\",\"not-a-uuid\"]")]
    [InlineData("[\"set\",{}]")]
    [InlineData("[\"map\",[[\"only-key\"]]]")]
    [InlineData("[\"frob\",\"x\"]")]
    [InlineData("{}")]
    [InlineData("null")]
    public void MalformedValue_IsAProtocolError(string json)
    {
        var act = () => WireJson.Parse(json);

        act.Should().Throw<OvsdbProtocolException>();
    }
}
