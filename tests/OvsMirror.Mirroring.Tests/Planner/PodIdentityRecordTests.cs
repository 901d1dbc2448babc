using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;
using static OvsMirror.Mirroring.Tests.Planner.Snapshots;

namespace OvsMirror.Mirroring.Tests.Planner;

/// <summary>The pod (K8S_POD_NAMESPACE, K8S_POD_NAME, K8S_POD_UID from CNI_ARGS) in an attachment record.</summary>
public sealed class PodIdentityRecordTests
{
    private static readonly Guid P = Uuid(1);

    [Fact]
    public void APodIsRecordedBeforeThePort_AndParsesBack()
    {
        var pod = new PodIdentity("ids", "ovs-prod-1", "6f1d1a2e-0000-4000-8000-000000000001");
        var record = new AttachmentRecord(MirrorRole.Producer, "net1", "veth1", P, MirrorSelection.SrcPort, [], MirrorOutputKind.None, null, pod);

        record.Format().Should().Be($"v1;role=producer;net=net1;uuid={P};sel=src;pod=ids/ovs-prod-1;puid=6f1d1a2e-0000-4000-8000-000000000001;port=veth1");
        AttachmentRecord.TryParse(record.Format())!.Pod.Should().Be(pod);
    }

    [Fact]
    public void ARecordAsMainWritesIt_ReadsWithNoPod()
    {
        var parsed = AttachmentRecord.TryParse($"v1;role=consumer;net=net1;uuid={P};out=port;port=veth3");

        parsed.Should().NotBeNull();
        parsed!.Pod.Should().BeNull();
        parsed.PortName.Should().Be("veth3");
    }

    [Fact]
    public void FromCniArgs_TakesTheThreeKeys_AndLeavesOutWhatARecordCannotHold()
    {
        PodIdentity.FromCniArgs(new Dictionary<string, string>
        {
            ["K8S_POD_NAMESPACE"] = "default", ["K8S_POD_NAME"] = "web-1", ["K8S_POD_UID"] = "u1", ["IgnoreUnknown"] = "1",
        }).Should().Be(new PodIdentity("default", "web-1", "u1"));
        PodIdentity.FromCniArgs(new Dictionary<string, string> { ["K8S_POD_NAME"] = "web-1" }).Should().BeNull();
        PodIdentity.FromCniArgs(new Dictionary<string, string> { ["K8S_POD_NAMESPACE"] = "a;b", ["K8S_POD_NAME"] = "web-1" }).Should().BeNull();
        PodIdentity.FromCniArgs(new Dictionary<string, string>
        {
            ["K8S_POD_NAMESPACE"] = "default", ["K8S_POD_NAME"] = "web-1", ["K8S_POD_UID"] = "x;port=evil",
        })!.Uid.Should().BeNull();
    }
}
