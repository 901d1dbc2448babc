using OvsMirror.Ovsdb;

namespace OvsMirror.Ovsdb.Tests;

public sealed class TransactionEncodingTests
{
    private static readonly Guid Port = Guid.Parse("15365daa-b3a4-49e9-a38f-23f42ead7011");

    [Fact]
    public void CreateIfAbsent_IsWaitThenInsertThenMutate_InOneParamsArray()
    {
        var txn = new Transaction("Open_vSwitch")
            .WaitAbsent("Mirror", Where.Eq("name", "m1"))
            .Insert("Mirror", new OvsdbRow().Set("name", "m1").Set("select_src_port", OvsdbSet.Of(OvsdbAtom.FromUuid(Port))), "m")
            .Mutate("Bridge", Where.Eq("name", "br1"), Mutation.Insert("mirrors", OvsdbAtom.FromNamedUuid("m")));

        WireJson.Of(txn.WriteParams).Should().Be(
            "[\"Open_vSwitch\"," +
            "{\"op\":\"wait\",\"timeout\":0,\"table\":\"Mirror\",\"where\":[[\"name\",\"==\",\"m1\"]],\"columns\":[\"_uuid\"],\"until\":\"==\",\"rows\":[]}," +
            "{\"op\":\"insert\",\"table\":\"Mirror\",\"row\":{\"name\":\"m1\",\"select_src_port\":[\"uuid\",\"15365daa-b3a4-49e9-a38f-23f42ead7011\"]},\"uuid-name\":\"m\"}," +
            "{\"op\":\"mutate\",\"table\":\"Bridge\",\"where\":[[\"name\",\"==\",\"br1\"]],\"mutations\":[[\"mirrors\",\"insert\",[\"named-uuid\",\"m\"]]]}]");
    }

    [Fact]
    public void EveryOperationKind_HasItsRfc7047Members()
    {
        var txn = new Transaction("db")
            .Select("T", Where.All, "a", "b")
            .Select("T", Where.Uuid(Port))
            .Update("T", Where.Eq("n", OvsdbAtom.FromInteger(3)), new OvsdbRow().Set("flag", true))
            .Mutate("T", Where.Includes("s", OvsdbSet.Of(OvsdbAtom.FromString("x"))),
                Mutation.Delete("s", OvsdbSet.Of(OvsdbAtom.FromString("x"), OvsdbAtom.FromString("y"))),
                Mutation.Add("n", 2), Mutation.Subtract("n", 1), Mutation.Multiply("n", 3), Mutation.Divide("n", 4),
                Mutation.Remainder("n", 5))
            .Delete("T", Where.Excludes("s", OvsdbSet.Empty))
            .Add(new WaitOperation("T", Where.All, ["a"], untilEqual: false, rows: [new OvsdbRow().Set("a", 1)], timeoutMilliseconds: null))
            .Comment("ovs-mirror: ADD");

        WireJson.Of(txn.WriteParams).Should().Be(
            "[\"db\"," +
            "{\"op\":\"select\",\"table\":\"T\",\"where\":[],\"columns\":[\"a\",\"b\"]}," +
            "{\"op\":\"select\",\"table\":\"T\",\"where\":[[\"_uuid\",\"==\",[\"uuid\",\"15365daa-b3a4-49e9-a38f-23f42ead7011\"]]]}," +
            "{\"op\":\"update\",\"table\":\"T\",\"where\":[[\"n\",\"==\",3]],\"row\":{\"flag\":true}}," +
            "{\"op\":\"mutate\",\"table\":\"T\",\"where\":[[\"s\",\"includes\",\"x\"]],\"mutations\":[" +
            "[\"s\",\"delete\",[\"set\",[\"x\",\"y\"]]],[\"n\",\"+=\",2],[\"n\",\"-=\",1],[\"n\",\"*=\",3],[\"n\",\"/=\",4],[\"n\",\"%=\",5]]}," +
            "{\"op\":\"delete\",\"table\":\"T\",\"where\":[[\"s\",\"excludes\",[\"set\",[]]]]}," +
            "{\"op\":\"wait\",\"table\":\"T\",\"where\":[],\"columns\":[\"a\"],\"until\":\"!=\",\"rows\":[{\"a\":1}]}," +
            "{\"op\":\"comment\",\"comment\":\"ovs-mirror: ADD\"}]");
    }

    [Fact]
    public void UnknownConditionFunction_IsRefused()
    {
        var act = () => new Condition("a", "~=", OvsdbAtom.FromInteger(1));

        act.Should().Throw<ArgumentException>().WithMessage("*~=*");
    }
}
