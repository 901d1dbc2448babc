using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace OvsMirror.Cni;

/// <summary>
/// Decodes stdin into a <see cref="NetworkConfig"/>. Undecodable input is code 6; a missing or wrongly typed
/// standard key is code 7 (CNI SPEC §Error). Messages name keys and never print values: a config can hold secrets.
/// </summary>
internal static class NetworkConfigParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        // Two values for one key mean different things to different readers: refuse the ambiguity.
        AllowDuplicateProperties = false,
    };

    /// <summary>Parses the bytes as one JSON object (CNI SPEC §Section 2: "configuration and results are encoded in JSON").</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8Json)
    {
        if (IsBlank(utf8Json))
        {
            throw new CniException(CniErrorCode.DecodingFailure, "network configuration on stdin is empty");
        }

        // CNI SPEC §Section 2: the configuration is JSON, hence UTF-8 (RFC 8259 §8.1). The parser defers checking
        // strings until they are read, so check all of it here rather than fail later in a plugin's key.
        if (!Utf8.IsValid(utf8Json))
        {
            throw new CniException(CniErrorCode.DecodingFailure, "network configuration on stdin is not valid UTF-8");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8Json, nodeOptions: null, DocumentOptions);
        }
        catch (JsonException e) when (e.LineNumber is null && DuplicateKeyLocator.Find(utf8Json) is { } duplicate)
        {
            // The DOM reports a repeated key with no position. Only the position is given: a key can be a secret too.
            throw new CniException(
                CniErrorCode.DecodingFailure,
                "network configuration on stdin has a key twice in one object",
                $"at line {duplicate.Line}, byte {duplicate.Byte}");
        }
        catch (JsonException e)
        {
            // The exception message quotes the offending input; report only where it is, when it is known.
            throw new CniException(
                CniErrorCode.DecodingFailure,
                "network configuration on stdin is not valid JSON",
                e.LineNumber is { } line ? $"at line {line + 1}, byte {e.BytePositionInLine + 1}" : null);
        }

        return node as JsonObject
            ?? throw new CniException(CniErrorCode.DecodingFailure, "network configuration on stdin is not a JSON object");
    }

    /// <summary>
    /// The config's <c>cniVersion</c> when it is a supported one, else null: used to label a response
    /// (VERSION, early errors) without trusting or echoing an arbitrary value.
    /// </summary>
    public static string? PeekSupportedVersion(JsonObject root)
    {
        return root.TryGetPropertyValue("cniVersion", out var node) && JsonStringValue.TryRead(node, out var version)
            && CniVersion.IsSupported(version)
            ? version
            : null;
    }

    /// <summary>Checks the standard keys for <paramref name="command"/> and binds them.</summary>
    public static NetworkConfig Bind(JsonObject root, CniCommand command)
    {
        // CNI SPEC §Configuration format: cniVersion (string). Check it first: it decides what the rest means.
        string version = RequiredString(root, "cniVersion");
        CniVersion.EnsureAllows(version, command);

        // CNI SPEC §Plugin configuration objects: type (string) is required and names a binary.
        string type = RequiredString(root, "type");
        if (type.Length == 0 || type.AsSpan().IndexOfAny('/', '\\') >= 0)
        {
            throw new CniException(
                CniErrorCode.InvalidNetworkConfig,
                "type must be a non-empty file name, without '/' or '\\'");
        }

        // CNI SPEC §Section 3: the runtime passes the network name to every plugin; ADD, DEL and CHECK need it
        // (CNI SPEC §Section 2: plugins key their state on network name, CNI_CONTAINERID and CNI_IFNAME).
        bool nameRequired = command is CniCommand.Add or CniCommand.Del or CniCommand.Check;
        string name = nameRequired ? RequiredString(root, "name") : OptionalString(root, "name") ?? string.Empty;
        if ((nameRequired || name.Length > 0) && !CniIdentifierRules.IsValidNetworkName(name))
        {
            throw new CniException(
                CniErrorCode.InvalidNetworkConfig,
                "name must start with an alphanumeric character and contain only alphanumerics, '_', '.' and '-'");
        }

        return new NetworkConfig
        {
            CniVersion = version,
            Name = name,
            Type = type,
            Raw = root,
            PrevResult = OptionalObject(root, "prevResult"),
            RuntimeConfig = OptionalObject(root, "runtimeConfig"),
            ArgsObject = OptionalObject(root, "args"),
            ValidAttachments = command == CniCommand.Gc ? ReadValidAttachments(root) : null,
        };
    }

    /// <summary>
    /// CNI SPEC 1.1 §GC: <c>cni.dev/valid-attachments</c> is an array of <c>{"containerID", "ifname"}</c> objects.
    /// It is required: without it every attachment would look stale.
    /// </summary>
    private static List<CniAttachment> ReadValidAttachments(JsonObject root)
    {
        string key = NetworkConfig.ValidAttachmentsKey;
        if (!root.TryGetPropertyValue(key, out var node) || node is null)
        {
            key = NetworkConfig.LegacyAttachmentsKey;
            if (!root.TryGetPropertyValue(key, out node) || node is null)
            {
                throw new CniException(
                    CniErrorCode.InvalidNetworkConfig,
                    $"{NetworkConfig.ValidAttachmentsKey} is required for GC");
            }
        }

        if (node is not JsonArray array)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"{key} must be an array");
        }

        var attachments = new List<CniAttachment>(array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item)
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"{key}[{i}] must be an object");
            }

            string containerId = RequiredString(item, "containerID", $"{key}[{i}].containerID");
            string ifName = RequiredString(item, "ifname", $"{key}[{i}].ifname");
            if (containerId.Length == 0 || ifName.Length == 0)
            {
                throw new CniException(
                    CniErrorCode.InvalidNetworkConfig,
                    $"{key}[{i}] must have a non-empty containerID and ifname");
            }

            attachments.Add(new CniAttachment(containerId, ifName));
        }

        return attachments;
    }

    private static string RequiredString(JsonObject obj, string key, string? path = null)
    {
        if (!obj.TryGetPropertyValue(key, out var node) || node is null)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"{path ?? key} is required");
        }

        if (!JsonStringValue.TryRead(node, out var value))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"{path ?? key} must be a string");
        }

        return value;
    }

    private static string? OptionalString(JsonObject obj, string key)
    {
        if (!obj.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        return JsonStringValue.TryRead(node, out var value)
            ? value
            : throw new CniException(CniErrorCode.InvalidNetworkConfig, $"{key} must be a string");
    }

    /// <summary>An absent or null key is absent (as in Go's decoder); any other non-object is code 7.</summary>
    private static JsonObject? OptionalObject(JsonObject obj, string key)
    {
        if (!obj.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        return node as JsonObject
            ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, $"{key} must be an object");
    }

    private static bool IsBlank(ReadOnlySpan<byte> utf8)
    {
        foreach (byte b in utf8)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
