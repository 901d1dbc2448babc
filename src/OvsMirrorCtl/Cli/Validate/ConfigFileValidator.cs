using System.Text.Json;
using System.Text.Json.Nodes;
using OvsMirror.Cni;

namespace OvsMirror.Cli.Validate;

/// <summary>
/// <c>ovs-mirrorctl validate</c> over files: conflists and plugin configs (JSON), and manifests (YAML) holding
/// NetworkAttachmentDefinitions and the pods that attach to them. A pod's <c>cni-args</c> are checked against the NAD
/// they name when that NAD is in one of the files, as Multus would hand them to the plugin.
/// </summary>
internal sealed class ConfigFileValidator
{
    /// <summary>Multus' annotation (k8s.v1.cni.cncf.io network selection, NPWG spec §4.1.2).</summary>
    public const string NetworksAnnotation = "k8s.v1.cni.cncf.io/networks";

    private const string NadKind = "NetworkAttachmentDefinition";

    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    private readonly List<ValidationFinding> _findings = [];

    /// <summary>NADs of every file, by namespace/name, for the pods' cni-args (a pod's own file first).</summary>
    private readonly Dictionary<string, List<(string File, JsonObject Config)>> _nads = new(StringComparer.Ordinal);

    private readonly List<(string File, JsonObject Document)> _podDocuments = [];

    /// <summary>Checks every file; <paramref name="cniArgs"/> (from --cni-args) is given to every JSON config.</summary>
    public IReadOnlyList<ValidationFinding> Validate(IEnumerable<(string Path, string Text)> files, JsonNode? cniArgs)
    {
        foreach (var (path, text) in files)
        {
            if (IsYaml(path, text))
            {
                ReadManifest(path, text);
            }
            else
            {
                ReadJsonConfig(path, text, cniArgs);
            }
        }

        foreach (var (file, document) in _podDocuments)
        {
            ValidatePodArgs(file, document);
        }

        return _findings;
    }

    private static bool IsYaml(string path, string text) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
        || !text.TrimStart().StartsWith('{');

    private void ReadJsonConfig(string path, string text, JsonNode? cniArgs)
    {
        if (ParseJsonObject(path, "file", text) is not { } network)
        {
            return;
        }

        if (network["plugins"] is null && network["type"] is null && network["mirrors"] is not null)
        {
            _findings.Add(NetworkValidator.Invalid(path, "file", CniErrorCode.InvalidNetworkConfig,
                "this is a pod's cni-args object, not a network config: check it against its network with " +
                $"ovs-mirrorctl validate CONFLIST --cni-args {path}"));
            return;
        }

        _findings.AddRange(NetworkValidator.Validate(path, null, network, cniArgs));
    }

    private void ReadManifest(string path, string text)
    {
        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = ManifestReader.Read(text);
        }
        catch (ManifestException e)
        {
            _findings.Add(NetworkValidator.Invalid(path, "file", CniErrorCode.DecodingFailure, e.Message));
            return;
        }

        var nadCount = 0;
        foreach (var document in documents.OfType<JsonObject>())
        {
            if (Text(document, "kind") == NadKind)
            {
                nadCount++;
                ReadNad(path, document);
            }
            else if (PodTemplateAnnotations(document) is not null)
            {
                _podDocuments.Add((path, document));
            }
        }

        if (nadCount == 0 && !_podDocuments.Any(p => p.File == path))
        {
            _findings.Add(NetworkValidator.Invalid(path, "file", CniErrorCode.InvalidNetworkConfig,
                $"no {NadKind} and no pod with a {NetworksAnnotation} annotation in this manifest"));
        }
    }

    private void ReadNad(string path, JsonObject nad)
    {
        var key = NamespacedName(nad["metadata"] as JsonObject);
        string where = $"NAD {key}";
        if (Text(nad["spec"], "config") is not { Length: > 0 } config)
        {
            // Multus then reads the network from the node's CNI conf dir under the NAD's name: nothing here to check.
            _findings.Add(new ValidationFinding
            {
                File = path, Where = where, Valid = true,
                Message = "spec.config is empty: Multus uses the node's own file of that name, which this cannot see",
            });
            return;
        }

        if (ParseJsonObject(path, where + " spec.config", config) is not { } network)
        {
            return;
        }

        if (!_nads.TryGetValue(key, out var same))
        {
            _nads[key] = same = [];
        }

        same.Add((path, network));
        _findings.AddRange(NetworkValidator.Validate(path, where, network, cniArgs: null));
    }

    private void ValidatePodArgs(string file, JsonObject document)
    {
        var annotations = PodTemplateAnnotations(document)!;
        var metadata = document["metadata"] as JsonObject;
        string podNamespace = Text(metadata, "namespace") ?? "default";
        string who = $"{Text(document, "kind")} {NamespacedName(metadata)}";
        if (Text(annotations, NetworksAnnotation) is not { } selections)
        {
            return;
        }

        var trimmed = selections.TrimStart();
        if (!trimmed.StartsWith('['))
        {
            // The short form ("net1,ns/net2@eth2") carries no cni-args.
            return;
        }

        if (ParseJsonNode(file, $"{who} annotation {NetworksAnnotation}", trimmed) is not JsonArray array)
        {
            return;
        }

        foreach (var selection in array.OfType<JsonObject>())
        {
            if (selection["cni-args"] is not { } cniArgs)
            {
                continue;
            }

            string nadKey = $"{Text(selection, "namespace") ?? podNamespace}/{Text(selection, "name")}";
            string where = $"{who} {Text(selection, "interface") ?? "(no interface)"} (NAD {nadKey})";
            if (!_nads.TryGetValue(nadKey, out var candidates))
            {
                _findings.Add(new ValidationFinding
                {
                    File = file, Where = where, Valid = true,
                    Message = $"NAD {nadKey} is in none of the files given: its cni-args were not checked",
                });
                continue;
            }

            var nad = candidates.FirstOrDefault(c => c.File == file);
            if (nad.Config is null)
            {
                nad = candidates[^1];
                where += $" from {nad.File}";
            }

            _findings.AddRange(NetworkValidator.Validate(file, where, nad.Config, cniArgs));
        }
    }

    /// <summary>The pod template's annotations: a Pod's own, a workload's spec.template's, a CronJob's job template's.</summary>
    private static JsonObject? PodTemplateAnnotations(JsonObject document) =>
        (Text(document, "kind") switch
        {
            "Pod" => document["metadata"],
            "CronJob" => document["spec"]?["jobTemplate"]?["spec"]?["template"]?["metadata"],
            _ => document["spec"]?["template"]?["metadata"],
        })?["annotations"] as JsonObject;

    private JsonObject? ParseJsonObject(string file, string where, string text)
    {
        var node = ParseJsonNode(file, where, text);
        if (node is JsonObject o)
        {
            return o;
        }

        if (node is not null)
        {
            _findings.Add(NetworkValidator.Invalid(file, where, CniErrorCode.DecodingFailure, "not a JSON object"));
        }

        return null;
    }

    private JsonNode? ParseJsonNode(string file, string where, string text)
    {
        try
        {
            return JsonNode.Parse(text, nodeOptions: null, StrictJson)
                ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            // As the plugin reports it (code 6): where, never the offending text (it can hold a secret).
            var position = e.LineNumber is { } line ? $"at line {line + 1}, byte {e.BytePositionInLine + 1}"
                : DuplicateKeyLocator.Find(System.Text.Encoding.UTF8.GetBytes(text)) is { } d ? $"a key twice in one object, at line {d.Line}, byte {d.Byte}"
                : null;
            _findings.Add(NetworkValidator.Invalid(file, where, CniErrorCode.DecodingFailure, "not valid JSON", position));
            return null;
        }
    }

    private static string NamespacedName(JsonObject? metadata) =>
        $"{Text(metadata, "namespace") ?? "default"}/{Text(metadata, "name") ?? "(no name)"}";

    private static string? Text(JsonNode? node, string key) =>
        node is JsonObject o && o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
