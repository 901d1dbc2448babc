using System.Globalization;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;

namespace OvsMirror.Mirroring.Tests.Config;

/// <summary>
/// A mirror request as one line of text, the notation of the Mirrors column in cni-conf-examples/README.md:
/// <c>NAME ROLE WHAT [vlans=..] [outputVlan=..] [snaplen=..]</c>, requests separated by "; ", and "none" for no requests.
/// </summary>
internal static class MirrorDescription
{
    public static string Of(IReadOnlyList<MirrorRequest> mirrors) =>
        mirrors.Count == 0 ? "none" : string.Join("; ", mirrors.Select(Of));

    public static string Of(MirrorRequest request)
    {
        var parts = new List<string> { request.Name };
        if (request.Role == MirrorRole.Producer)
        {
            parts.Add("producer");
            parts.Add(Selection(request.Selection));
            if (request.Vlans.Count > 0)
            {
                parts.Add("vlans=" + string.Join(",", request.Vlans.Select(v => v.ToString(CultureInfo.InvariantCulture))));
            }
        }
        else
        {
            parts.Add("consumer");
            parts.Add(request.OutputKind switch
            {
                MirrorOutputKind.Port => "port",
                MirrorOutputKind.Vlan => "vlan",
                _ => "NO-OUTPUT",
            });
            if (request.OutputVlan is int outputVlan)
            {
                parts.Add("outputVlan=" + outputVlan.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (request.Snaplen is int snaplen)
        {
            parts.Add("snaplen=" + snaplen.ToString(CultureInfo.InvariantCulture));
        }

        if (request.Remote is { } remote)
        {
            parts.Add($"remote={remote.Type}:{remote.RemoteIp}");
            AddIf(parts, "key=", remote.Key);
            AddIf(parts, "v", remote.ErspanVersion);
            AddIf(parts, "index=", remote.ErspanIndex);
            AddIf(parts, "dir=", remote.ErspanDir);
            AddIf(parts, "hwid=", remote.ErspanHwid);
        }

        return string.Join(" ", parts);
    }

    /// <summary>Backend ovn: <c>NAME ovn TYPE index=N FILTER sink=IP</c>.</summary>
    public static string Of(IReadOnlyList<Ovn.OvnMirrorRequest> mirrors) =>
        mirrors.Count == 0 ? "none" : string.Join("; ", mirrors.Select(m =>
            $"{m.Name} ovn {m.Type} index={m.Index.ToString(CultureInfo.InvariantCulture)} {m.Filter} sink={m.Sink}"));

    private static void AddIf(List<string> parts, string prefix, long? value)
    {
        if (value is { } v)
        {
            parts.Add(prefix + v.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static string Selection(MirrorSelection selection)
    {
        var words = new List<string>();
        if (selection.HasFlag(MirrorSelection.SrcPort))
        {
            words.Add("src_port");
        }

        if (selection.HasFlag(MirrorSelection.DstPort))
        {
            words.Add("dst_port");
        }

        if (selection.HasFlag(MirrorSelection.All))
        {
            words.Add("all");
        }

        if (selection.HasFlag(MirrorSelection.Vlan))
        {
            words.Add("vlan");
        }

        return words.Count == 0 ? "NO-SELECTION" : string.Join("+", words);
    }
}
