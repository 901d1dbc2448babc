using System.Text.Json.Nodes;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovs;
using OvsMirror.Mirroring.Tests.Plugin;
using OvsMirror.Ovsdb;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Planner;

/// <summary>
/// The planners' transactions interleaved step by step against a real ovsdb-server: an ADD planned from one read
/// and committed after a DEL changed what it read. Every interleaving must end either with the ADD's guard
/// failing (so it re-reads) or with a state that honours both calls.
/// </summary>
public sealed class InterleavingTests
{
    private static readonly JsonArray SelectAll = [new JsonObject { ["name"] = "m1", ["selection"] = new JsonArray("all") }];

    /// <summary>
    /// ADD of p2 (selection all) reads m1 with select_all=true (from p1 alone), so it writes only its record. DEL of
    /// p1 then commits: no record selects all any more, so it sets select_all=false. ADD's guards (port on bridge,
    /// select_vlan empty, m1 on br1) all still hold, so it commits too, and DEL's cleanup then keeps m1 for p2.
    /// ADD reported success, yet m1 selects nothing: p2's "all" is lost. (CHECK of p2 then reports it.)
    /// </summary>
    [OvsFact]
    public async Task AllProducerJoining_WhileTheLastAllProducerLeaves_KeepsSelectAll()
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", "br1");
        await sandbox.AddPortsAsync("br1", "prod1", "prod2");
        var plugin = new PluginHarness(sandbox);
        plugin.Add("br1", "prod1", SelectAll, "p1").ShouldSucceed();
        using var connection = OvsdbConnection.Connect(OvsdbEndpoint.Parse(sandbox.DbEndpoint), TimeSpan.FromSeconds(5));

        // ADD of p2 reads and plans...
        var add = AttachPlanner.Plan(OvsStateReader.ReadForAttach(connection, "br1", "prod2", ["m1"]), "br1", plugin.Network,
            new AttachmentId("p2", "eth1"), [Snapshots.Produce("m1", MirrorSelection.All)]);
        // ...DEL of p1 commits its detach transaction...
        var p1 = new AttachmentId("p1", "eth1");
        var detach = DetachPlanner.Plan(OvsStateReader.ReadBridgeMirrors(connection, "br1"), "br1", (id, _) => id == p1);
        connection.Transact(detach.Transaction).Committed.Should().BeTrue();
        // ...then ADD commits (were a guard to fail here, the backend would re-read and plan again: no bug)...
        var committed = connection.Transact(add.Transaction).Committed;
        // ...and DEL's cleanup finds p2's record and leaves m1.
        var m1 = await sandbox.MirrorOnBridgeAsync("br1", "m1");
        connection.Transact(CleanupPlanner.Plan("br1", Guid.Parse(m1)));

        if (committed)
        {
            (await sandbox.MirrorColumnAsync(m1, "select_all")).Should().Be("true",
                "p2's ADD committed its record \"sel=all\" (external_ids: {0})", await sandbox.MirrorColumnAsync(m1, "external_ids"));
            plugin.Run("CHECK", PluginHarness.WithPrevResult(plugin.Config("br1", SelectAll), "prod2"), "p2").ShouldSucceed();
        }
    }
}
