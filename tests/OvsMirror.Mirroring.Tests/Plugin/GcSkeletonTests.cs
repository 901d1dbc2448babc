using OvsMirror.Cni;
using OvsMirror.Mirroring.Ovn;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// The one GC (<see cref="OvsMirrorPlugin.CollectGarbage"/>) serves both backends and goes on past each error: before
/// the seam, OVN's copy stopped at the first one.
/// </summary>
public sealed class GcSkeletonTests
{
    /// <summary>A backend whose detach and first removal fail, recording what GC still tried.</summary>
    private sealed class FailingBackend : IMirrorBackend
    {
        public List<string> Removed { get; } = [];

        public int Attach(AttachmentId id, string network, PodIdentity? pod, string target) => throw new NotSupportedException();

        public DetachOutcome Detach(AttachmentSelector selector, bool dryRun = false) =>
            throw new CniException(CniErrorCode.IoFailure, "OVN Northbound refused the change: detach");

        public IReadOnlyList<EmptyMirror> FindEmptyOwnedMirrors() =>
        [
            new("m1", Guid.NewGuid(), OwnerMarker.EmptyOwnedExternalIds, null),
            new("m2", Guid.NewGuid(), OwnerMarker.EmptyOwnedExternalIds, null),
        ];

        public bool RemoveIfEmpty(EmptyMirror mirror)
        {
            if (mirror.Name == "m1")
            {
                throw new CniException(CniErrorCode.IoFailure, "OVN Northbound refused the change: m1");
            }

            Removed.Add(mirror.Name);
            return true;
        }

        public bool RemoveRecord(UnparseableRecord record) => throw new CniException(CniErrorCode.IoFailure, "record");

        public IReadOnlyList<string> Diff(AttachmentId id, string network, string target) => [];

        public void Probe()
        {
        }

        public void ApplyToFlows()
        {
        }

        public MirrorInventory Inventory() => new("ovn", "OVN Northbound", true, [], null);
    }

    [Fact]
    public void Gc_GoesOnPastEveryError_AndReportsThemAllAsCode11()
    {
        var backend = new FailingBackend();

        var gc = () => OvsMirrorPlugin.CollectGarbage(backend, AttachmentSelector.One(new AttachmentId("c1", "eth1")),
            [new UnparseableRecord("m3", Guid.NewGuid(), "ovs-mirror/a/c9/eth1", "v9;junk")]);

        var error = gc.Should().Throw<CniException>().Which;
        backend.Removed.Should().Equal("m2");
        error.Code.Should().Be(CniErrorCode.TryAgainLater);
        error.Message.Should().Be("GC finished with 3 error(s): OVN Northbound refused the change: detach");
        error.Details.Should().Be("OVN Northbound refused the change: detach; mirror m3, record ovs-mirror/a/c9/eth1: record; " +
            "mirror m1: OVN Northbound refused the change: m1");
    }

    [Fact]
    public void BothBackends_AreOneRegistryLineEach()
    {
        MirrorBackends.Kinds.Select(k => k.Name).Should().Equal("ovs", "ovn");
        MirrorBackends.Kinds[1].Should().BeSameAs(NorthboundBackendKind.Instance);
    }
}
