namespace OvsMirror.Mirroring.Ovn;

/// <summary>
/// What one attachment contributes to an NB Mirror: its Logical_Switch_Port references the mirror. Stored as the
/// value of <see cref="Ovs.AttachmentId.Key"/> in Mirror:external_ids, so DEL and GC undo it with no prevResult.
/// Format: "ovn1;net=N;lsp=NAME" (lsp last: an LSP name may hold ';').
/// </summary>
internal sealed record OvnAttachmentRecord(string Network, string LogicalSwitchPort)
{
    private const string Prefix = "ovn1;net=";
    private const string LspField = ";lsp=";

    public string Format() => Prefix + Network + LspField + LogicalSwitchPort;

    /// <summary>Null when the value is not a record this version understands (it is then left alone).</summary>
    public static OvnAttachmentRecord? TryParse(string value)
    {
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var lspAt = value.IndexOf(LspField, Prefix.Length, StringComparison.Ordinal);
        return lspAt < 0 || lspAt + LspField.Length == value.Length
            ? null
            : new OvnAttachmentRecord(value[Prefix.Length..lspAt], value[(lspAt + LspField.Length)..]);
    }
}
