using System.Text.Json.Nodes;
using OvsMirror.Mirroring.Ovs;
using OvsMirror.Ovsdb;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// <c>ovs-mirrorctl gc --yes</c> removes attachments whose port was gone when it looked (AttachmentSelector.Exactly):
/// a port re-created under the same name before the commit must keep its attachment. ovs-vsctl is the oracle.
/// </summary>
public sealed class GcAbsentTargetTests
{
    private static readonly JsonArray ProducerSrc = [new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("src_port") }];

    private static DetachOutcome CollectAsGcWould(OvsSandbox sandbox, IReadOnlyDictionary<AttachmentId, string> stale)
    {
        var config = PluginConfigParser.ParseForCleanup(new JsonObject { ["bridge"] = "br1", ["socket_file"] = sandbox.DbEndpoint },
            "ovs-mirror", "ovs-mirror");
        DetachOutcome? outcome = null;
        OvsdbSession.Run(config.Endpoint, config.Timeout, "socket_file", null,
            (connection, deadline) => outcome = config.Open(connection, deadline, TextWriter.Null).Detach(AttachmentSelector.Exactly(stale)),
            CancellationToken.None);
        return outcome!;
    }

    [OvsFact]
    public async Task Gc_OfAnAttachmentWhosePortCameBackUnderTheSameName_KeepsIt_AndRemovesTheOneStillGone()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        await sandbox.AddPortsAsync("br1", "pa", "pb", "pc");
        var plugin = new PluginHarness(sandbox);
        plugin.Add("br1", "pa", ProducerSrc, "ca").ShouldSucceed();
        plugin.Add("br1", "pb", ProducerSrc, "cb").ShouldSucceed();
        plugin.Add("br1", "pc", ProducerSrc, "cc").ShouldSucceed();

        // What gc read as stale: pb and pc were gone. Then a new pb appears (a new pod's port of the same name).
        await sandbox.VsctlAsync("del-port", "br1", "pb");
        await sandbox.VsctlAsync("del-port", "br1", "pc");
        var stale = new Dictionary<AttachmentId, string> { [new("cb", "eth1")] = "pb", [new("cc", "eth1")] = "pc" };
        await sandbox.AddPortsAsync("br1", "pb");

        var outcome = CollectAsGcWould(sandbox, stale);

        outcome.Detached.Select(d => d.Id).Should().Equal(new AttachmentId("cc", "eth1"));
        var ids = await sandbox.VsctlAsync("get", "Mirror", "m1", "external_ids");
        ids.Should().Contain("ovs-mirror/a/ca/eth1").And.Contain("ovs-mirror/a/cb/eth1", "pb exists again: its attachment stays")
            .And.NotContain("ovs-mirror/a/cc/eth1");
    }

    [Fact]
    public void Append_GuardsEveryTargetStillGone_WithAWaitForNoRow()
    {
        var transaction = new Transaction(VswitchSchema.Database);

        AbsentTargetGuard.Append(transaction, VswitchSchema.Port, VswitchSchema.Name, ["pb", "pc"]);

        // RFC 7047 §5.2.6: wait until the rows matching name == X equal [] (no such row), with no timeout.
        transaction.Operations.Should().HaveCount(2).And.AllBeOfType<WaitOperation>();
        var wait = (WaitOperation)transaction.Operations[0];
        wait.Table.Should().Be("Port");
        wait.Where.Should().ContainSingle().Which.Column.Should().Be("name");
        wait.UntilEqual.Should().BeTrue();
        wait.Rows.Should().BeEmpty();
    }
}
