using OvsMirror.Cni;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring;

/// <summary>
/// The one reading of a guarded transaction's result, for every backend: committed; or a <c>wait</c> guard
/// (RFC 7047 §5.2.6, timeout 0) failed because the state moved since it was read, so re-read and retry
/// (<see cref="OptimisticRetry"/>); or refused for good. A guard listed as terminal is a final answer, not a retry
/// (the pod's port is gone, say).
/// </summary>
internal static class GuardedCommit
{
    /// <param name="result">The transaction's result.</param>
    /// <param name="database">Names the database in the error ("OVSDB", "OVN Northbound").</param>
    /// <param name="terminalGuards">Operation index → the error that guard's failure means; null: none.</param>
    /// <param name="retryOnConstraintViolation">
    /// Whether a unique-index violation (RFC 7047 §4.1.3 "constraint violation") means another caller created the
    /// same row first, so re-read and join it.
    /// </param>
    /// <returns>True when committed; false when the state moved (retry).</returns>
    public static bool Committed(TransactionResult result, string database,
        IReadOnlyDictionary<int, CniException>? terminalGuards = null, bool retryOnConstraintViolation = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.FirstFailure is not { } failure)
        {
            return true;
        }

        if (failure.IsWaitTimeout)
        {
            return terminalGuards is not null && terminalGuards.TryGetValue(failure.OperationIndex, out var terminal)
                ? throw terminal
                : false;
        }

        return retryOnConstraintViolation && failure.Error == OvsdbErrors.ConstraintViolation
            ? false
            : throw new CniException(CniErrorCode.IoFailure, $"{database} refused the change: {failure.Message}");
    }
}
