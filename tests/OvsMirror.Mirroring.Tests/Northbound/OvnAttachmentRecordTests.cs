using OvsMirror.Mirroring.Ovn;

namespace OvsMirror.Mirroring.Tests.Northbound;

public sealed class OvnAttachmentRecordTests
{
    [Fact]
    public void ARecordWrittenBeforePodIdentity_StillReads()
    {
        // As main's OvnAttachmentRecord.Format wrote it (before the pod fields).
        var record = OvnAttachmentRecord.TryParse("ovn1;net=attachnet;lsp=pod1.default.attachnet.default.ovn");

        record.Should().Be(new OvnAttachmentRecord("attachnet", "pod1.default.attachnet.default.ovn"));
        record!.Pod.Should().BeNull();
    }

    [Fact]
    public void PodIdentity_RoundTrips_AndAnLspNameMayHoldSemicolons()
    {
        var record = new OvnAttachmentRecord("attachnet", "a;lsp=b", new PodIdentity("ns1", "pod-1", "0f3c"));

        record.Format().Should().Be("ovn1;net=attachnet;pod=ns1/pod-1;puid=0f3c;lsp=a;lsp=b");
        OvnAttachmentRecord.TryParse(record.Format()).Should().Be(record);
    }
}
