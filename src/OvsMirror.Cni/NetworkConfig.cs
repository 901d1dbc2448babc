using System.Text.Json.Nodes;

namespace OvsMirror.Cni;

/// <summary>
/// The plugin configuration object read from stdin (CNI SPEC §Section 1 and §Section 3 "Deriving execution configuration").
/// The standard keys are typed; everything else, including the plugin's own keys, stays in <see cref="Raw"/>.
/// </summary>
public sealed class NetworkConfig
{
    /// <summary>CNI SPEC 1.1 §GC: the key holding the attachments still valid on this network.</summary>
    public const string ValidAttachmentsKey = "cni.dev/valid-attachments";

    /// <summary>
    /// The same list under the name an earlier draft of CNI SPEC 1.1 used; libcni sends both.
    /// Read only when <see cref="ValidAttachmentsKey"/> is absent.
    /// </summary>
    public const string LegacyAttachmentsKey = "cni.dev/attachments";

    /// <summary>The configuration's <c>cniVersion</c>, always one of <see cref="OvsMirror.Cni.CniVersion.Supported"/>.</summary>
    public required string CniVersion { get; init; }

    /// <summary>The network <c>name</c>; required for ADD, DEL and CHECK, empty when a STATUS or GC config has none.</summary>
    public required string Name { get; init; }

    /// <summary>The plugin <c>type</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The whole parsed configuration. The plugin reads its own keys here; never log its values.</summary>
    public required JsonObject Raw { get; init; }

    /// <summary>CNI SPEC §Section 3: the previous plugin's result, kept raw so it can be passed on unchanged.</summary>
    public JsonObject? PrevResult { get; init; }

    /// <summary>CNI SPEC §Deriving runtimeConfig: the capabilities the runtime filled in.</summary>
    public JsonObject? RuntimeConfig { get; init; }

    /// <summary>The reserved <c>args</c> key, where Multus puts a pod's <c>cni-args</c> as <c>args.cni</c>.</summary>
    public JsonObject? ArgsObject { get; init; }

    /// <summary>
    /// CNI SPEC 1.1 §GC: the attachments the runtime still holds; every resource of any other attachment is stale.
    /// Set for GC (where the key is required), null for every other command.
    /// </summary>
    public IReadOnlyList<CniAttachment>? ValidAttachments { get; init; }
}
