using OvsMirror.Cni;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>
/// An ADD's one transaction. Guard 0 (the LSP exists) failing is a final answer; when it creates mirrors, a unique-index
/// violation means another caller created one first: re-read and join it.
/// </summary>
internal sealed class NbAttachPlan(Transaction transaction, IReadOnlyDictionary<int, CniException> terminalGuards, bool createsMirrors)
{
    public Transaction Transaction { get; } = transaction;

    public IReadOnlyDictionary<int, CniException> TerminalGuards { get; } = terminalGuards;

    public bool CreatesMirrors { get; } = createsMirrors;
}
