using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// Turns a requested mirror membership into the exact record an attachment stores: VLANs default to the
/// port's own tag (Port.tag), as DESIGN §2 says for "vlan" selection and RSPAN output.
/// </summary>
internal static class RecordResolver
{
    public static AttachmentRecord Resolve(MirrorRequest request, string network, PortSnapshot port, PodIdentity? pod = null)
    {
        if (request.Role == MirrorRole.Producer)
        {
            IReadOnlyList<int> vlans = [];
            if ((request.Selection & MirrorSelection.Vlan) != 0)
            {
                vlans = request.Vlans.Count > 0
                    ? request.Vlans
                    : port.Tag is { } tag
                        ? [tag]
                        : throw new CniException(CniErrorCode.InvalidNetworkConfig,
                            $"mirror {request.Name}: selection vlan needs \"vlans\", or a port with a VLAN tag, and port {port.Name} has none");
            }

            return new AttachmentRecord(MirrorRole.Producer, network, port.Name, port.Uuid, request.Selection, vlans,
                MirrorOutputKind.None, null, pod);
        }

        int? outputVlan = null;
        if (request.OutputKind == MirrorOutputKind.Vlan)
        {
            outputVlan = request.OutputVlan ?? port.Tag ?? throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"mirror {request.Name}: output vlan needs \"outputVlan\", or a port with a VLAN tag, and port {port.Name} has none");
            if (outputVlan == 0)
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig,
                    $"mirror {request.Name}: output vlan needs \"outputVlan\"; port {port.Name} has tag 0, which is no RSPAN VLAN");
            }
        }

        return new AttachmentRecord(MirrorRole.Consumer, network, port.Name, port.Uuid, MirrorSelection.None, [],
            request.OutputKind, outputVlan, pod);
    }
}
