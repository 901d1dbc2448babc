namespace OvsMirror.Mirroring.Ovn;

/// <summary>
/// What one attachment contributes to an NB Mirror: its Logical_Switch_Port references the mirror. Stored as the
/// value of <see cref="AttachmentId.Key"/> in Mirror:external_ids, so DEL and GC undo it with no prevResult.
/// Format: "ovn1;net=N;pod=NS/NAME;puid=UID;lsp=NAME" (lsp last: an LSP name may hold ';'). "pod" and "puid" (from
/// CNI_ARGS) are optional and were added later within ovn1: records without them read as before. A network name
/// cannot hold ';' (CNI SPEC §Network Configuration), so the fields before lsp split at ';'.
/// </summary>
internal sealed record OvnAttachmentRecord(string Network, string LogicalSwitchPort, PodIdentity? Pod = null) : IAttachmentRecord
{
    private const string Prefix = "ovn1;net=";
    private const string LspField = ";lsp=";

    /// <inheritdoc />
    public string Target => LogicalSwitchPort;

    public string Format()
    {
        var pod = Pod is { } p ? ";pod=" + p.Namespace + "/" + p.Name + (p.Uid is { } uid ? ";puid=" + uid : "") : "";
        return Prefix + Network + pod + LspField + LogicalSwitchPort;
    }

    /// <summary>Null when the value is not a record this version understands (it is then left alone).</summary>
    public static OvnAttachmentRecord? TryParse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var lspAt = value.IndexOf(LspField, Prefix.Length, StringComparison.Ordinal);
        if (lspAt < 0 || lspAt + LspField.Length == value.Length)
        {
            return null;
        }

        var fields = value[Prefix.Length..lspAt].Split(';');
        string? pod = null;
        string? uid = null;
        foreach (var field in fields.Skip(1))
        {
            if (field.StartsWith("pod=", StringComparison.Ordinal))
            {
                pod = field["pod=".Length..];
            }
            else if (field.StartsWith("puid=", StringComparison.Ordinal))
            {
                uid = field["puid=".Length..];
            }
        }

        return new OvnAttachmentRecord(fields[0], value[(lspAt + LspField.Length)..], PodIdentity.TryParse(pod, uid));
    }
}
