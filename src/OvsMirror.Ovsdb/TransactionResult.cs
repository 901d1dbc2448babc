using System.Text.Json;

namespace OvsMirror.Ovsdb;

/// <summary>
/// The reply to an RFC 7047 §4.1.3 "transact": one result per operation, in order, plus, when the
/// commit itself failed (for example a referential integrity violation), one extra error element.
/// </summary>
public sealed class TransactionResult
{
    private readonly string[] _ops;

    private TransactionResult(IReadOnlyList<OperationResult> results, OperationResult? commitError, string[] ops)
    {
        Results = results;
        CommitError = commitError;
        _ops = ops;
    }

    /// <summary>One result per operation of the transaction, in order.</summary>
    public IReadOnlyList<OperationResult> Results { get; }

    /// <summary>RFC 7047 §4.1.3: the extra trailing element, present when the commit failed after every op succeeded.</summary>
    public OperationResult? CommitError { get; }

    public OperationResult this[int index] => Results[index];

    /// <summary>The first failure, or null when the transaction committed.</summary>
    public OvsdbOperationException? FirstFailure
    {
        get
        {
            for (var i = 0; i < Results.Count; i++)
            {
                if (Results[i].Failed)
                {
                    return new OvsdbOperationException(i, _ops[i], Results[i].Error!, Results[i].Details);
                }
            }

            return CommitError is { Failed: true }
                ? new OvsdbOperationException(Results.Count, "commit", CommitError.Error!, CommitError.Details)
                : null;
        }
    }

    public bool Committed => FirstFailure is null;

    /// <summary>Throws the first failure as a typed exception naming the operation's index, error and details.</summary>
    /// <exception cref="OvsdbOperationException">An operation or the commit failed.</exception>
    public TransactionResult ThrowIfAnyFailed()
    {
        if (FirstFailure is { } failure)
        {
            throw failure;
        }

        return this;
    }

    public static TransactionResult FromJson(JsonElement result, Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw new OvsdbProtocolException($"transact result is not an array: {result.GetRawText()}");
        }

        var ops = new string[transaction.Operations.Count];
        for (var i = 0; i < ops.Length; i++)
        {
            ops[i] = transaction.Operations[i].Op;
        }

        var length = result.GetArrayLength();
        if (length < ops.Length || length > ops.Length + 1)
        {
            throw new OvsdbProtocolException(
                $"transact returned {length} results for {ops.Length} operations (RFC 7047 §4.1.3 allows {ops.Length} or {ops.Length + 1})");
        }

        var results = new OperationResult[ops.Length];
        OperationResult? commitError = null;
        var index = 0;
        foreach (var element in result.EnumerateArray())
        {
            var parsed = OperationResult.FromJson(element);
            if (index < ops.Length)
            {
                results[index] = parsed;
            }
            else
            {
                commitError = parsed;
            }

            index++;
        }

        return new TransactionResult(results, commitError, ops);
    }
}
