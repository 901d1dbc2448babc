using System.Globalization;
using System.Text;
using OvsMirror.Mirroring.Config;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// What one attachment contributes to one mirror, stored as the value of its key in Mirror:external_ids.
/// It lets DEL and GC undo exactly that contribution with no prevResult, after the Port is gone, and
/// without any state file. Format: "v1;role=producer;net=N;uuid=U;sel=src,dst;vlans=100,200;pod=NS/NAME;puid=UID;port=NAME"
/// (port last: a port name may hold any character but '/'). "net" is the CNI network name, so GC of one
/// network never touches another network's attachments on the same bridge (CNI SPEC 1.1 §GC).
/// "pod" and "puid" (from CNI_ARGS) are optional and were added later within v1: records written before them
/// read as before, and a version that does not know them skips them (unknown fields are ignored).
/// </summary>
internal sealed class AttachmentRecord : IAttachmentRecord
{
    public AttachmentRecord(MirrorRole role, string network, string portName, Guid portUuid, MirrorSelection selection,
        IReadOnlyList<int> vlans, MirrorOutputKind output, int? outputVlan, PodIdentity? pod = null)
    {
        Pod = pod;
        Role = role;
        Network = network;
        PortName = portName;
        PortUuid = portUuid;
        Selection = selection;
        Vlans = vlans;
        Output = output;
        OutputVlan = outputVlan;
    }

    public MirrorRole Role { get; }

    /// <summary>The CNI network (config "name") the attachment belongs to.</summary>
    public string Network { get; }

    public string PortName { get; }

    /// <inheritdoc />
    public string Target => PortName;

    /// <inheritdoc />
    public PodIdentity? Pod { get; }

    public Guid PortUuid { get; }

    public MirrorSelection Selection { get; }

    /// <summary>The VLANs this producer selects, resolved (the port's tag when the config gave none).</summary>
    public IReadOnlyList<int> Vlans { get; }

    public MirrorOutputKind Output { get; }

    /// <summary>The RSPAN VLAN this consumer outputs to, resolved.</summary>
    public int? OutputVlan { get; }

    /// <summary>Whether this producer makes the mirror select all traffic (selection all, or vlan: all traffic of those VLANs).</summary>
    public bool SelectsAllTraffic => (Selection & (MirrorSelection.All | MirrorSelection.Vlan)) != 0;

    /// <summary>The record without the pod's identity: what the attachment contributes, for CHECK to compare.</summary>
    public string FormatMembership() => Pod is null ? Format() : WithoutPod().Format();

    private AttachmentRecord WithoutPod() => new(Role, Network, PortName, PortUuid, Selection, Vlans, Output, OutputVlan);

    public string Format()
    {
        var text = new StringBuilder("v1;role=");
        text.Append(Role == MirrorRole.Producer ? "producer" : "consumer");
        text.Append(";net=").Append(Network);
        text.Append(";uuid=").Append(PortUuid.ToString("D"));
        if (Role == MirrorRole.Producer)
        {
            text.Append(";sel=");
            var first = true;
            foreach (var (flag, word) in SelectionWords)
            {
                if ((Selection & flag) != 0)
                {
                    text.Append(first ? "" : ",").Append(word);
                    first = false;
                }
            }

            if (Vlans.Count > 0)
            {
                text.Append(";vlans=").AppendJoin(',', Vlans);
            }
        }
        else
        {
            text.Append(";out=").Append(Output == MirrorOutputKind.Vlan ? "vlan" : "port");
            if (OutputVlan is { } vlan)
            {
                text.Append(";ovlan=").Append(vlan.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (Pod is { } pod)
        {
            text.Append(";pod=").Append(pod.Namespace).Append('/').Append(pod.Name);
            if (pod.Uid is { } uid)
            {
                text.Append(";puid=").Append(uid);
            }
        }

        return text.Append(";port=").Append(PortName).ToString();
    }

    /// <summary>Reads a record; null when it is not one this version understands (it is then left alone).</summary>
    public static AttachmentRecord? TryParse(string value)
    {
        if (!value.StartsWith("v1;", StringComparison.Ordinal))
        {
            return null;
        }

        // Search after "v1": in "v1;port=X" the ";" of the prefix starts ";port=", which leaves no fields at all.
        var portAt = value.IndexOf(";port=", 2, StringComparison.Ordinal);
        if (portAt < 3)
        {
            return null;
        }

        var portName = value[(portAt + ";port=".Length)..];
        MirrorRole? role = null;
        var network = "";
        Guid uuid = default;
        var selection = MirrorSelection.None;
        var vlans = new List<int>();
        var output = MirrorOutputKind.None;
        int? outputVlan = null;
        string? pod = null;
        string? podUid = null;
        foreach (var field in value[3..portAt].Split(';'))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return null;
            }

            var v = field[(eq + 1)..];
            switch (field[..eq])
            {
                case "role":
                    role = v switch { "producer" => MirrorRole.Producer, "consumer" => MirrorRole.Consumer, _ => null };
                    break;
                case "net":
                    network = v;
                    break;
                case "uuid":
                    if (!Guid.TryParseExact(v, "D", out uuid))
                    {
                        return null;
                    }

                    break;
                case "sel":
                    foreach (var word in v.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        selection |= SelectionWords.FirstOrDefault(w => w.Word == word).Flag;
                    }

                    break;
                case "vlans":
                    foreach (var n in v.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var vlan))
                        {
                            return null;
                        }

                        vlans.Add(vlan);
                    }

                    break;
                case "out":
                    output = v == "vlan" ? MirrorOutputKind.Vlan : MirrorOutputKind.Port;
                    break;
                case "ovlan":
                    if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var ov))
                    {
                        return null;
                    }

                    outputVlan = ov;
                    break;
                case "pod":
                    pod = v;
                    break;
                case "puid":
                    podUid = v;
                    break;
            }
        }

        return role is null || uuid == Guid.Empty
            ? null
            : new AttachmentRecord(role.Value, network, portName, uuid, selection, vlans, output, outputVlan, PodIdentity.TryParse(pod, podUid));
    }

    private static readonly (MirrorSelection Flag, string Word)[] SelectionWords =
    [
        (MirrorSelection.SrcPort, "src"),
        (MirrorSelection.DstPort, "dst"),
        (MirrorSelection.All, "all"),
        (MirrorSelection.Vlan, "vlan"),
    ];
}
