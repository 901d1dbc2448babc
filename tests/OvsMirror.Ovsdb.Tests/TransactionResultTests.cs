using System.Text.Json;
using OvsMirror.Ovsdb;

namespace OvsMirror.Ovsdb.Tests;

public sealed class TransactionResultTests
{
    private static TransactionResult Parse(string resultJson, Transaction txn)
    {
        using var document = JsonDocument.Parse(resultJson);
        return TransactionResult.FromJson(document.RootElement, txn);
    }

    private static Transaction WaitThenInsert() => new Transaction("Open_vSwitch")
        .WaitAbsent("Mirror", Where.Eq("name", "m1"))
        .Insert("Mirror", new OvsdbRow().Set("name", "m1"), "m");

    [Fact]
    public void FailedWait_NamesIndexOpErrorAndDetails_AndIsAWaitTimeout()
    {
        // As ovsdb-server 3.1.0 answered a create-if-absent whose mirror already existed.
        var result = Parse("[{\"details\":\"\\\"where\\\" clause test failed\",\"error\":\"timed out\"},null]", WaitThenInsert());

        result.Committed.Should().BeFalse();
        result[1].WasExecuted.Should().BeFalse();
        var act = () => result.ThrowIfAnyFailed();
        var failure = act.Should().Throw<OvsdbOperationException>().Which;
        failure.OperationIndex.Should().Be(0);
        failure.Operation.Should().Be("wait");
        failure.Error.Should().Be(OvsdbErrors.TimedOut);
        failure.Details.Should().Be("\"where\" clause test failed");
        failure.IsWaitTimeout.Should().BeTrue();
        failure.Message.Should().Be("operation 0 (wait) failed: timed out: \"where\" clause test failed");
    }

    [Fact]
    public void CommitError_IsTheExtraTrailingElement_ReportedAfterTheLastOp()
    {
        var txn = new Transaction("Open_vSwitch").Insert("Bridge", new OvsdbRow().Set("name", "x"));
        var result = Parse("[{\"uuid\":[\"uuid\",\"b4e9bab6-cc13-4fab-95c0-939a5d828740\"]}," +
                           "{\"details\":\"references nonexistent row\",\"error\":\"referential integrity violation\"}]", txn);

        result[0].Uuid.Should().Be(Guid.Parse("b4e9bab6-cc13-4fab-95c0-939a5d828740"));
        result.CommitError!.Error.Should().Be(OvsdbErrors.ReferentialIntegrityViolation);
        var failure = result.FirstFailure!;
        failure.OperationIndex.Should().Be(1);
        failure.Operation.Should().Be("commit");
        failure.IsWaitTimeout.Should().BeFalse();
    }

    [Fact]
    public void SuccessfulResults_CarryUuidRowsAndCounts()
    {
        var txn = new Transaction("db").Insert("T", new OvsdbRow()).Select("T", Where.All).Mutate("T", Where.All, Mutation.Add("n", 1));
        var result = Parse("[{\"uuid\":[\"uuid\",\"67fb562d-fa6d-4834-8fc7-3f620e6c257e\"]}," +
                           "{\"rows\":[{\"name\":\"m1\",\"select_dst_port\":[\"set\",[]],\"external_ids\":[\"map\",[[\"a\",\"b\"]]]}]}," +
                           "{\"count\":2}]", txn);

        result.ThrowIfAnyFailed().Committed.Should().BeTrue();
        result[1].Rows.Should().ContainSingle();
        var row = result[1].Rows[0];
        row.GetString("name").Should().Be("m1");
        row.GetAtoms("select_dst_port").Should().BeEmpty();
        row.GetMap("external_ids").ToStringDictionary().Should().ContainKey("a").WhoseValue.Should().Be("b");
        result[2].Count.Should().Be(2);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{},{},{},{}]")]
    [InlineData("{}")]
    [InlineData("[42,{}]")]
    public void ResultNotShapedLikeTheTransaction_IsAProtocolError(string json)
    {
        var act = () => Parse(json, WaitThenInsert());

        act.Should().Throw<OvsdbProtocolException>();
    }
}
