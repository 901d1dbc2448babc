namespace OvsMirror.Ovsdb;

/// <summary>
/// An operation of a transaction failed (RFC 7047 §5.2), or the commit did (§4.1.3), so nothing was
/// applied. Names the operation's index, its op, the error and its details.
/// </summary>
public sealed class OvsdbOperationException(int operationIndex, string operation, string error, string? details)
    : OvsdbException($"operation {operationIndex} ({operation}) failed: {error}{(details is null ? "" : $": {details}")}")
{
    public int OperationIndex { get; } = operationIndex;

    public string Operation { get; } = operation;

    /// <summary>The RFC 7047 error string; see <see cref="OvsdbErrors"/>.</summary>
    public string Error { get; } = error;

    public string? Details { get; } = details;

    /// <summary>A "wait" precondition did not hold (RFC 7047 §5.2.6): re-read and retry.</summary>
    public bool IsWaitTimeout => Error == OvsdbErrors.TimedOut;
}
