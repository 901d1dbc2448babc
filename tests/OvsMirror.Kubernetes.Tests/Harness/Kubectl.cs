using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OvsMirror.Testing;

namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary><c>kubectl</c> against the rig's cluster (its kubeconfig), one process per call.</summary>
public sealed class Kubectl(string kubeconfig)
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    private readonly Dictionary<string, string> environment = new(StringComparer.Ordinal) { ["KUBECONFIG"] = kubeconfig };

    public Task<ProcessResult> RunAsync(IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync("kubectl", arguments, timeout ?? DefaultTimeout, environment, standardInput);

    public Task<ProcessResult> RunCheckedAsync(IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null) =>
        ProcessRunner.RunCheckedAsync("kubectl", arguments, timeout ?? DefaultTimeout, environment, standardInput);

    /// <summary>Runs kubectl with <c>-o json</c> and parses its output.</summary>
    public async Task<JsonNode> GetJsonAsync(params string[] arguments)
    {
        var r = await RunCheckedAsync([.. arguments, "-o", "json"]).ConfigureAwait(false);
        return JsonNode.Parse(r.StandardOutput) ?? throw new InvalidOperationException($"`{r.CommandLine}` printed null");
    }

    /// <summary><c>kubectl apply -f -</c> of a JSON document (an object or a List).</summary>
    public Task<ProcessResult> ApplyAsync(JsonNode document) =>
        RunCheckedAsync(["apply", "-f", "-"], document.ToJsonString());

    /// <summary>
    /// A YAML file as kubectl itself reads it (client-side, nothing sent to the server): its objects, in order.
    /// kubectl prints one JSON value per object (or one List).
    /// </summary>
    public async Task<JsonArray> ReadManifestAsync(string file)
    {
        var r = await RunCheckedAsync(["create", "--dry-run=client", "--validate=false", "-f", file, "-o", "json"]).ConfigureAwait(false);
        var items = new JsonArray();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(r.StandardOutput), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            var node = JsonNode.Parse(ref reader) ?? throw new InvalidOperationException($"`{r.CommandLine}` printed null");
            if (node["kind"]?.GetValue<string>() == "List")
            {
                foreach (var item in node["items"]?.AsArray() ?? [])
                {
                    items.Add(item!.DeepClone());
                }
            }
            else
            {
                items.Add(node);
            }
        }

        return items;
    }
}
