using OvsMirror.Cni;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// One guarded transaction and what its guards mean when they fail. A failed guard listed in
/// <see cref="TerminalGuards"/> is a final answer (for example "the port is on another bridge");
/// any other failed "wait" means the state moved since it was read: re-read and plan again.
/// </summary>
internal sealed class PlannedTransaction(Transaction transaction, IReadOnlyDictionary<int, CniException> terminalGuards)
{
    public Transaction Transaction { get; } = transaction;

    public IReadOnlyDictionary<int, CniException> TerminalGuards { get; } = terminalGuards;

    public bool IsEmpty => Transaction.Operations.Count == 0;
}
