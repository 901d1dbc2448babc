using OvsMirror.Kubernetes.Tests.Harness;

namespace OvsMirror.Kubernetes.Tests.Proposal;

/// <summary>
/// The proposal's six test cases (spec/ovs-cni-traffic-mirroring-proposal.md, NAD approach §1 and cni-args approach
/// §2, test cases 1-3) as cni-conf-examples writes them, with the mirrors each must yield on br1.
/// </summary>
public static class ProposalCases
{
    public static readonly MirrorCase NadTestCase1 = new(
        "nad-tc1",
        "nad-tc1.yaml",
        [100],
        [
            new("mirror-1", [new("ovs-prod-cons", "eth1")], new("ovs-prod-cons", "eth2")),
            new("mirror-2", [new("ovs-prod-cons", "eth1")], null),
        ]);

    public static readonly MirrorCase NadTestCase2 = new(
        "nad-tc2",
        "nad-tc2.yaml",
        [100],
        [
            new(
                "mirror-1",
                [new("ovs-producer-1-vlan100-mir1-mir2", "eth1"), new("ovs-producer-2-vlan100-mir1", "eth1")],
                new("ovs-consumer1-mir1", "eth2")),
            new("mirror-2", [new("ovs-producer-1-vlan100-mir1-mir2", "eth1")], new("ovs-consumer1-mir2", "eth2")),
        ]);

    public static readonly MirrorCase NadTestCase3 = new(
        "nad-tc3",
        "nad-tc3.yaml",
        [100, 200],
        [
            new("mirror-1", [new("ovs-prod-1", "eth1")], new("ovs-cons", "eth2")),
            new("mirror-2", [new("ovs-prod-2", "eth1")], new("ovs-cons", "eth3")),
        ]);

    public static readonly MirrorCase CniArgsTestCase1 = new(
        "cniargs-tc1",
        "cniargs-tc1.yaml",
        [100],
        [
            new("mirror-1", [new("ovs-prod-1", "eth1")], new("ovs-prod-1", "eth2")),
            new("mirror-2", [new("ovs-prod-1", "eth1")], null),
        ]);

    public static readonly MirrorCase CniArgsTestCase2 = new(
        "cniargs-tc2",
        "cniargs-tc2.yaml",
        [100],
        [
            new("mirror-1", [new("ovs-prod-1", "eth1"), new("ovs-prod-2", "eth1")], new("ovs-cons-1", "eth2")),
            new("mirror-2", [new("ovs-prod-1", "eth1")], new("ovs-cons-2", "eth2")),
        ]);

    public static readonly MirrorCase CniArgsTestCase3 = new(
        "cniargs-tc3",
        "cniargs-tc3.yaml",
        [100, 200],
        [
            new("mirror-1", [new("ovs-prod-1", "eth1")], new("ovs-cons-1", "eth2")),
            new("mirror-2", [new("ovs-prod-2", "eth1")], new("ovs-cons-1", "eth3")),
        ]);
}
