using System.Globalization;
using System.Text.Json.Nodes;
using OvsMirror.Mirroring.Tests.Examples;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// The proposal's test cases 1-3 (spec/ovs-cni-traffic-mirroring-proposal.md), NAD approach (§1) and cni-args approach
/// (§2), driven from cni-conf-examples exactly as a cluster would run them: every attachment of every Deployment of
/// <c>CASE.yaml</c> gets a port on br1 with the VLAN tag of its chain's <c>ovs</c> plugin (what ovs-cni does), then the
/// chain's <c>ovs-mirror</c> plugin (from <c>CASE-NAD.conflist</c>, with cniVersion and name copied in as libcni does,
/// and the pod's <c>CASE-NAD.POD.IFNAME.cni-args.json</c> as <c>args.cni</c> as Multus does) runs ADD with
/// CNI_CONTAINERID = the pod and CNI_IFNAME = the interface. OVSDB must then hold what the case's diagram shows;
/// ovs-vsctl is the oracle. CHECK passes for every attachment, and DEL of all leaves no mirror.
/// </summary>
public sealed class ProposalCasesTests
{
    private const string Bridge = "br1";

    /// <summary>
    /// What each case's diagram shows, as pod/interface: the sources (select_src_port) and the output (output_port) of
    /// each mirror. Nothing else: no select_dst_port, select_all, select_vlan or output_vlan anywhere.
    /// </summary>
    private static readonly Dictionary<string, DiagramMirror[]> Diagrams = new(StringComparer.Ordinal)
    {
        // §1 TC1: one pod produces into mirror-1 and mirror-2 on eth1 (VLAN 100) and consumes mirror-1 on eth2 (VLAN 200).
        ["nad-tc1"] =
        [
            new("mirror-1", ["ovs-prod-cons/eth1"], "ovs-prod-cons/eth2"),
            new("mirror-2", ["ovs-prod-cons/eth1"], null),
        ],

        // §1 TC2: producer 1 into both mirrors, producer 2 into mirror-1; one consumer per mirror (each with a plain VLAN port).
        ["nad-tc2"] =
        [
            new("mirror-1", ["ovs-producer-1-vlan100-mir1-mir2/eth1", "ovs-producer-2-vlan100-mir1/eth1"], "ovs-consumer1-mir1/eth2"),
            new("mirror-2", ["ovs-producer-1-vlan100-mir1-mir2/eth1"], "ovs-consumer1-mir2/eth2"),
        ],

        // §1 TC3: one producer per mirror (VLAN 100 and 200); one consumer pod outputs both, on eth2 and eth3.
        ["nad-tc3"] =
        [
            new("mirror-1", ["ovs-prod-1/eth1"], "ovs-cons/eth2"),
            new("mirror-2", ["ovs-prod-2/eth1"], "ovs-cons/eth3"),
        ],

        // §2 TC1: as §1 TC1, the pod's annotation choosing the mirrors.
        ["cniargs-tc1"] =
        [
            new("mirror-1", ["ovs-prod-1/eth1"], "ovs-prod-1/eth2"),
            new("mirror-2", ["ovs-prod-1/eth1"], null),
        ],

        // §2 TC2: as §1 TC2, both producers through one generic VLAN 100 NAD and both consumers through one consumer NAD.
        ["cniargs-tc2"] =
        [
            new("mirror-1", ["ovs-prod-1/eth1", "ovs-prod-2/eth1"], "ovs-cons-1/eth2"),
            new("mirror-2", ["ovs-prod-1/eth1"], "ovs-cons-2/eth2"),
        ],

        // §2 TC3: as §1 TC3, ovs-cons-1 attaching twice to the same generic consumer NAD.
        ["cniargs-tc3"] =
        [
            new("mirror-1", ["ovs-prod-1/eth1"], "ovs-cons-1/eth2"),
            new("mirror-2", ["ovs-prod-2/eth1"], "ovs-cons-1/eth3"),
        ],
    };

    public static TheoryData<string> Cases => new(Diagrams.Keys);

    [OvsTheory]
    [MemberData(nameof(Cases))]
    public Task Case_AddGivesTheDiagramsMirrors_CheckPasses_AndDelLeavesNothing(string exampleCase) =>
        RunCaseAsync(exampleCase, reverseAdds: false);

    /// <summary>The same end state whoever comes first: here consumers mostly create the mirrors and producers join them.</summary>
    [OvsTheory]
    [MemberData(nameof(Cases))]
    public Task Case_InReverseOrder_GivesTheSameMirrors_AndDelLeavesNothing(string exampleCase) =>
        RunCaseAsync(exampleCase, reverseAdds: true);

    private static async Task RunCaseAsync(string exampleCase, bool reverseAdds)
    {
        var attachments = PodAttachment.ReadAll(exampleCase);
        var diagram = Diagrams[exampleCase];
        attachments.Should().Contain(a => a.MirrorPlugin != null, $"{exampleCase} has ovs-mirror attachments");
        if (exampleCase.StartsWith("cniargs-", StringComparison.Ordinal))
        {
            attachments.Where(a => a.MirrorPlugin != null).Should().OnlyContain(a => a.CniArgs != null,
                "in the cni-args approach every ovs-mirror attachment carries the pod's cni-args");
        }

        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: false);
        await sandbox.VsctlAsync("add-br", Bridge);
        var plugin = new PluginHarness(sandbox);

        // What ovs-cni's "ovs" plugin does first: a port on br1 with the chain's VLAN as access tag.
        foreach (var attachment in attachments)
        {
            if (attachment.Vlan is { } vlan)
            {
                await sandbox.AddTaggedPortAsync(Bridge, attachment.HostPort, vlan);
            }
            else
            {
                await sandbox.AddPortsAsync(Bridge, attachment.HostPort);
            }
        }

        var withMirrors = attachments.Where(a => a.MirrorPlugin != null).ToList();
        var configs = withMirrors.ToDictionary(a => a, a => a.PluginConfig(sandbox));
        var addOrder = reverseAdds ? Enumerable.Reverse(withMirrors).ToList() : withMirrors;
        foreach (var attachment in addOrder)
        {
            var config = configs[attachment];
            var add = plugin.Run("ADD", config, attachment.Pod, attachment.IfName).ShouldSucceed();
            JsonNode.DeepEquals(add.Json, config["prevResult"]).Should().BeTrue($"ADD of {attachment} passes prevResult through; got {add.Stdout}");
        }

        await AssertDiagramAsync(sandbox, exampleCase, diagram, attachments);

        // CNI SPEC 0.4.0 §CHECK (the examples' version): every attachment is as its config asks.
        foreach (var attachment in withMirrors)
        {
            plugin.Run("CHECK", configs[attachment], attachment.Pod, attachment.IfName).ShouldSucceed();
        }

        foreach (var attachment in addOrder)
        {
            plugin.Run("DEL", configs[attachment], attachment.Pod, attachment.IfName).ShouldSucceed();
        }

        (await sandbox.MirrorsAsync()).Should().BeEmpty($"every member of {exampleCase} left and the mirrors were ovs-mirror's");
        (await sandbox.BridgeMirrorsAsync(Bridge)).Should().BeEmpty();
        (await sandbox.VsctlAsync("get", "Bridge", Bridge, "flood_vlans")).Trim().Should().Be("[]");
        var ports = (await sandbox.VsctlAsync("list-ports", Bridge)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        ports.Should().BeEquivalentTo(attachments.Select(a => a.HostPort), "DEL detaches; the ports are ovs-cni's to delete");
    }

    private static async Task AssertDiagramAsync(OvsSandbox sandbox, string exampleCase, DiagramMirror[] diagram,
        IReadOnlyList<PodAttachment> attachments)
    {
        var byInterface = attachments.ToDictionary(a => a.ToString(), StringComparer.Ordinal);
        var portUuids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attachment in attachments)
        {
            portUuids[attachment.ToString()] = await sandbox.PortUuidAsync(attachment.HostPort);
        }

        string PortOf(string podInterface)
        {
            byInterface.Should().ContainKey(podInterface, $"the diagram of {exampleCase} names {podInterface}, which its YAML must attach");
            return portUuids[podInterface];
        }

        // Exactly one Mirror row per name, all of them on br1, and no other mirror at all.
        (await sandbox.MirrorsAsync()).Select(m => m.Name).Should().BeEquivalentTo(diagram.Select(d => d.Name));
        (await sandbox.BridgeMirrorsAsync(Bridge)).Should().HaveCount(diagram.Length);

        foreach (var expected in diagram)
        {
            var mirror = await sandbox.MirrorOnBridgeAsync(Bridge, expected.Name);
            var because = $"{exampleCase}: {expected.Name}";
            (await sandbox.MirrorUuidsAsync(mirror, "select_src_port")).Should()
                .BeEquivalentTo(expected.Sources.Select(PortOf), $"{because} selects exactly {string.Join(", ", expected.Sources)}");
            (await sandbox.MirrorUuidsAsync(mirror, "select_dst_port")).Should().BeEmpty(because);
            (await sandbox.MirrorColumnAsync(mirror, "output_port")).Should()
                .Be(expected.Output is { } output ? PortOf(output) : "[]", $"{because} outputs to {expected.Output ?? "nothing"}");
            (await sandbox.MirrorColumnAsync(mirror, "select_all")).Should().Be("false", because);
            (await sandbox.MirrorColumnAsync(mirror, "select_vlan")).Should().Be("[]", because);
            (await sandbox.MirrorColumnAsync(mirror, "output_vlan")).Should().Be("[]", because);
        }
    }

    /// <summary>One mirror of a case's diagram: pod/interface of its sources and of its output.</summary>
    private sealed record DiagramMirror(string Name, string[] Sources, string? Output);

    /// <summary>
    /// One entry of a Deployment's k8s.v1.cni.cncf.io/networks annotation, with what the example files say about it:
    /// the conflist of its NAD, the VLAN of the chain's ovs plugin, the ovs-mirror plugin (if the chain has it) and
    /// the pod's cni-args file (if the annotation carries cni-args).
    /// </summary>
    private sealed class PodAttachment
    {
        private PodAttachment(string pod, string ifName, string hostPort, JsonObject conflist, int? vlan,
            JsonObject? mirrorPlugin, JsonObject? cniArgs)
        {
            Pod = pod;
            IfName = ifName;
            HostPort = hostPort;
            Conflist = conflist;
            Vlan = vlan;
            MirrorPlugin = mirrorPlugin;
            CniArgs = cniArgs;
        }

        public string Pod { get; }

        public string IfName { get; }

        /// <summary>The host-side OVS port (at most 15 chars, unlike the pod names).</summary>
        public string HostPort { get; }

        public JsonObject Conflist { get; }

        public int? Vlan { get; }

        public JsonObject? MirrorPlugin { get; }

        public JsonObject? CniArgs { get; }

        public static List<PodAttachment> ReadAll(string exampleCase)
        {
            var attachments = new List<PodAttachment>();
            foreach (var document in ManifestDocument.ReadAll(ExampleDirectory.File(exampleCase + ".yaml")))
            {
                if (!document.Blocks.TryGetValue(ManifestDocument.NetworksAnnotation, out var networks))
                {
                    continue;
                }

                foreach (var network in JsonNode.Parse(networks)!.AsArray())
                {
                    var nad = network!["name"]!.GetValue<string>();
                    var ifName = network["interface"]!.GetValue<string>();
                    var conflist = ReadJson($"{exampleCase}-{nad}.conflist").AsObject();
                    var plugins = conflist["plugins"]!.AsArray().Select(p => p!.AsObject()).ToList();
                    var ovs = plugins.Should().ContainSingle(p => TypeOf(p) == "ovs").Which;
                    ovs["bridge"]!.GetValue<string>().Should().Be(Bridge);
                    var mirror = plugins.SingleOrDefault(p => TypeOf(p) == "ovs-mirror");
                    JsonObject? cniArgs = null;
                    if (network["cni-args"] is not null)
                    {
                        mirror.Should().NotBeNull($"{document.Name}/{ifName} passes cni-args to NAD {nad}, so its chain has ovs-mirror");
                        cniArgs = ReadJson($"{exampleCase}-{nad}.{document.Name}.{ifName}.cni-args.json").AsObject();
                    }

                    var hostPort = "veth" + attachments.Count.ToString("D2", CultureInfo.InvariantCulture);
                    attachments.Add(new PodAttachment(document.Name, ifName, hostPort, conflist,
                        ovs["vlan"]?.GetValue<int>(), mirror, cniArgs));
                }
            }

            attachments.Should().OnlyHaveUniqueItems(a => a.ToString(), $"{exampleCase}: one attachment per pod interface");
            return attachments;
        }

        /// <summary>
        /// The ovs-mirror plugin's stdin as libcni and Multus build it: the plugin's object from the conflist with the
        /// conflist's cniVersion and name (CNI SPEC §Section 3), the pod's cni-args as args.cni, and prevResult
        /// naming the host port. Only the socket and flowRevalidation are the sandbox's.
        /// </summary>
        public JsonObject PluginConfig(OvsSandbox sandbox)
        {
            var config = MirrorPlugin!.DeepClone().AsObject();
            config["cniVersion"] = Conflist["cniVersion"]!.DeepClone();
            config["name"] = Conflist["name"]!.DeepClone();
            config["socket_file"] = sandbox.DbEndpoint;
            config["flowRevalidation"] = "none";
            if (CniArgs is not null)
            {
                config = PluginHarness.WithCniArgs(config, CniArgs);
            }

            return PluginHarness.WithPrevResult(config, HostPort);
        }

        public override string ToString() => Pod + "/" + IfName;

        private static string TypeOf(JsonObject plugin) => plugin["type"]!.GetValue<string>();

        private static JsonNode ReadJson(string file) => JsonNode.Parse(File.ReadAllText(ExampleDirectory.File(file)))!;
    }
}
