using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>What an ADD plans from: whether the LSP exists and, per requested mirror, its row (null: none).</summary>
internal sealed class NbAttachSnapshot(bool logicalSwitchPortExists, IReadOnlyList<NbMirrorSnapshot?> mirrors)
{
    private static readonly string[] UuidOnly = [NorthboundSchema.Uuid];

    public bool LogicalSwitchPortExists { get; } = logicalSwitchPortExists;

    /// <summary>Per request, in order: the mirror of that name, or null.</summary>
    public IReadOnlyList<NbMirrorSnapshot?> Mirrors { get; } = mirrors;

    /// <summary>One round trip: the LSP by name (indexed) and each mirror by name (unique index, ovn-nb(5)).</summary>
    public static NbAttachSnapshot Read(OvsdbConnection connection, string lsp, IReadOnlyList<OvnMirrorRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var read = new Transaction(NorthboundSchema.Database)
            .Add(new SelectOperation(NorthboundSchema.LogicalSwitchPort, Where.Eq(NorthboundSchema.Name, lsp), UuidOnly));
        foreach (var request in requests)
        {
            read.Add(new SelectOperation(NorthboundSchema.Mirror, Where.Eq(NorthboundSchema.Name, request.Name),
                NbMirrorSnapshot.DefinitionColumns));
        }

        var state = connection.Transact(read).ThrowIfAnyFailed();
        return new NbAttachSnapshot(state[0].Rows.Count > 0,
            [.. requests.Select((_, i) => state[1 + i].Rows is [var row, ..] ? new NbMirrorSnapshot(row) : null)]);
    }
}
