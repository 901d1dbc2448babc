using System.Text.Json.Nodes;

namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>
/// Makes the examples' YAML runnable on the rig, adding only what the proposal leaves to the cluster:
/// <list type="bullet">
/// <item>NADs: <c>socket_file</c> (the rig's private OVSDB) on <c>ovs</c> and <c>ovs-mirror*</c> plugins, and a
/// <c>host-local</c> <c>ipam</c> on <c>ovs</c> plugins (one /16 per VLAN, one block per NAD: see <see cref="VlanSubnet"/>).</item>
/// <item>Deployments (the proposal's are stubs: only the annotation): replicas 1, a selector and labels
/// <c>app: NAME</c> and <see cref="RunLabel"/> (this test run: pods of an earlier test that kubelet has not
/// removed yet never match), and one busybox container that exits on SIGTERM.</item>
/// </list>
/// Nothing else is changed: mirrors, selections, annotations and cni-args go to the cluster as written.
/// </summary>
public sealed class ManifestAdapter(string ovsdb, string ipamDirectory, string runId)
{
    public const string Image = "localhost/busybox:1";
    public const string AppLabel = "app";
    public const string RunLabel = "ovs-mirror-test-run";
    private static readonly string[] OvsMirrorTypes = ["ovs-mirror", "ovs-mirror-producer", "ovs-mirror-consumer"];
    private int nextBlock = 1;

    /// <summary>Adapts every object of a manifest, returning a List document for <c>kubectl apply</c>.</summary>
    public JsonObject Adapt(JsonArray items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = new JsonArray();
        foreach (var item in items)
        {
            var copy = item!.DeepClone().AsObject();
            switch (copy["kind"]?.GetValue<string>())
            {
                case "NetworkAttachmentDefinition":
                    AdaptNad(copy);
                    break;
                case "Deployment":
                    CompleteDeployment(copy);
                    break;
                default:
                    break;
            }

            list.Add(copy);
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = list };
    }

    /// <summary>A plain ovs port on a VLAN (no ovs-mirror): the harness's own peers and bystanders.</summary>
    public JsonObject PlainNad(string name, string ns, int? vlan)
    {
        var ovs = new JsonObject { ["type"] = "ovs", ["bridge"] = "br1" };
        if (vlan is { } v)
        {
            ovs["vlan"] = v;
        }

        var config = new JsonObject { ["cniVersion"] = "0.4.0", ["name"] = name, ["plugins"] = new JsonArray(ovs) };
        var nad = new JsonObject
        {
            ["apiVersion"] = "k8s.cni.cncf.io/v1",
            ["kind"] = "NetworkAttachmentDefinition",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject { ["config"] = config.ToJsonString() },
        };
        AdaptNad(nad);
        return nad;
    }

    /// <summary>The label selector of this run's pods.</summary>
    public string Selector => $"{RunLabel}={runId}";

    /// <summary>A bare pod (not a Deployment) with the given networks annotation.</summary>
    public JsonObject Pod(string name, string ns, JsonArray networks, string? app = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { [AppLabel] = app ?? name, [RunLabel] = runId },
            ["annotations"] = new JsonObject { ["k8s.v1.cni.cncf.io/networks"] = networks.ToJsonString() },
        },
        ["spec"] = PodSpec(),
    };

    private void AdaptNad(JsonObject nad)
    {
        var spec = nad["spec"]?.AsObject() ?? throw new InvalidOperationException("NAD without spec");
        var config = JsonNode.Parse(spec["config"]!.GetValue<string>())!.AsObject();
        var plugins = config["plugins"] is JsonArray a ? a.Select(p => p!.AsObject()).ToList() : [config];
        var block = nextBlock++;
        foreach (var plugin in plugins)
        {
            var type = plugin["type"]?.GetValue<string>();
            if (type == "ovs")
            {
                plugin["socket_file"] = ovsdb;
                int? vlan = plugin["vlan"] is { } v ? v.GetValue<int>() : null;
                plugin["ipam"] = new JsonObject
                {
                    ["type"] = "host-local",
                    ["dataDir"] = ipamDirectory,
                    ["ranges"] = new JsonArray(new JsonArray(new JsonObject
                    {
                        ["subnet"] = VlanSubnet.Subnet(vlan),
                        ["rangeStart"] = VlanSubnet.RangeStart(vlan, block),
                        ["rangeEnd"] = VlanSubnet.RangeEnd(vlan, block),
                    })),
                };
            }
            else if (type is not null && OvsMirrorTypes.Contains(type))
            {
                plugin["socket_file"] = ovsdb;
            }
        }

        spec["config"] = config.ToJsonString();
    }

    private void CompleteDeployment(JsonObject deployment)
    {
        var name = deployment["metadata"]!["name"]!.GetValue<string>();
        var spec = deployment["spec"] as JsonObject ?? new JsonObject();
        deployment["spec"] = spec;
        spec["replicas"] ??= 1;
        spec["selector"] ??= new JsonObject { ["matchLabels"] = new JsonObject { [AppLabel] = name, [RunLabel] = runId } };
        var template = spec["template"] as JsonObject ?? new JsonObject();
        spec["template"] = template;
        var metadata = template["metadata"] as JsonObject ?? new JsonObject();
        template["metadata"] = metadata;
        var labels = metadata["labels"] as JsonObject ?? new JsonObject();
        metadata["labels"] = labels;
        labels[AppLabel] ??= name;
        labels[RunLabel] = runId;
        template["spec"] ??= PodSpec();
    }

    private static JsonObject PodSpec() => new()
    {
        ["terminationGracePeriodSeconds"] = 10,
        ["automountServiceAccountToken"] = false,
        ["enableServiceLinks"] = false,
        ["containers"] = new JsonArray(new JsonObject
        {
            ["name"] = "main",
            ["image"] = Image,
            ["imagePullPolicy"] = "Never",
            // PID 1 ignores SIGTERM unless it handles it: exit at once, so a deleted pod goes without its grace period
            ["command"] = new JsonArray("/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 3600 & wait $!; done"),
        }),
    };
}
