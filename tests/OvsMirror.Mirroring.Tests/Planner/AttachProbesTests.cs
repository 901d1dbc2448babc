using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;
using static OvsMirror.Mirroring.Tests.Planner.Snapshots;

namespace OvsMirror.Mirroring.Tests.Planner;

/// <summary>
/// Which condition-only probes an ADD sends per mirror (each one more select by name, which ovsdb-server answers by
/// visiting every Mirror row): exactly those AttachPlanner's checks can read for that request. A plan that reads an
/// unprobed answer sees "not owned" and refuses with code 107, which the plugin tests of owned mirrors would show.
/// </summary>
public sealed class AttachProbesTests
{
    private static readonly Dictionary<string, (MirrorRequest Request, AttachProbes Expected)> Cases = new()
    {
        ["producer of ports"] = (Produce("m", MirrorSelection.SrcPort | MirrorSelection.DstPort), AttachProbes.None),
        ["consumer on a port"] = (Consume("m"), AttachProbes.None),
        ["producer of all traffic (select_all is mirror-wide)"] = (Produce("m", MirrorSelection.All), AttachProbes.Owned),
        ["producer with snaplen"] = (Produce("m", MirrorSelection.SrcPort, snaplen: 128), AttachProbes.Owned),
        ["consumer on an RSPAN VLAN"] = (Consume("m", MirrorOutputKind.Vlan, 100), AttachProbes.Owned),
        ["producer of VLANs (also: does the mirror select no port?)"] = (Produce("m", MirrorSelection.Vlan, [10]), AttachProbes.Owned | AttachProbes.Portless),
    };

    public static TheoryData<string> Requests => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Requests))]
    public void Probes_AreThoseItsPlanCanNeed(string request) =>
        Cases[request].Request.Probes.Should().Be(Cases[request].Expected, request);
}
