namespace OvsMirror.Mirroring.Ovn;

/// <summary>
/// One validated OVN mirror entry, <c>{name, type, index, filter, sink}</c>: the arguments of
/// <c>ovn-nbctl mirror-add NAME TYPE INDEX FILTER SINK</c> (spec: kube-ovn-remote-port-mirroring.md).
/// </summary>
internal sealed record OvnMirrorRequest(string Name, string Type, long Index, string Filter, string Sink)
{
    /// <summary>The filters of OVN 23.03's schema; any other (such as "both") is used only where the server's schema lists it.</summary>
    public static readonly string[] BaseFilters = ["from-lport", "to-lport"];

    public bool NeedsSchemaCheck => !BaseFilters.Contains(Filter, StringComparer.Ordinal);
}
