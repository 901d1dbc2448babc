using OvsMirror.Cni;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovn;
using OvsMirror.Mirroring.Ovs;

namespace OvsMirror.Mirroring;

/// <summary>
/// The backends, and the one place that chooses among them: once, in parse, from <c>backend</c> (the way portmap in
/// containernetworking/plugins picks iptables or nftables). A new backend is a folder and one line here.
/// </summary>
internal static class MirrorBackends
{
    /// <summary>The first is the default (no <c>backend</c> key).</summary>
    public static IReadOnlyList<IMirrorBackendKind> Kinds { get; } =
    [
        BridgeBackendKind.Instance,
        NorthboundBackendKind.Instance,
    ];

    /// <summary>
    /// The config of the backend it selects. A config holding a key of another backend is refused (code 7, naming
    /// the key) for <see cref="ConfigPurpose.Attach"/>; cleanup tolerates it, so what an older version accepted can go.
    /// </summary>
    public static IMirrorBackendConfig Parse(NetworkConfig config, string programName, ConfigPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(config);
        var kind = Select(config);
        if (purpose == ConfigPurpose.Attach)
        {
            RefuseForeignKeys(config, kind);
        }

        return kind.Parse(config, programName, purpose);
    }

    /// <summary>The backend <c>backend</c> names; the first of <see cref="Kinds"/> when absent.</summary>
    public static IMirrorBackendKind Select(NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var word = ConfigValueReader.OptionalString(config.Raw, "backend", "backend");
        if (word is null)
        {
            return Kinds[0];
        }

        return Kinds.FirstOrDefault(k => k.Name == word)
            ?? throw ConfigValueReader.Invalid($"backend: {MessageText.Word(word)} is not one of {string.Join(", ", Kinds.Select(k => k.Name))}");
    }

    private static void RefuseForeignKeys(NetworkConfig config, IMirrorBackendKind chosen)
    {
        foreach (var other in Kinds)
        {
            if (other == chosen)
            {
                continue;
            }

            foreach (var key in other.ExclusiveKeys)
            {
                if (config.Raw.ContainsKey(key) && !chosen.ExclusiveKeys.Contains(key, StringComparer.Ordinal))
                {
                    throw ConfigValueReader.Invalid(
                        $"{key} is a key of backend {other.Name}, and this config selects backend {chosen.Name}" +
                        (chosen == Kinds[0] ? " (no \"backend\" key)" : "") +
                        $": remove {key}, or set \"backend\": \"{other.Name}\"");
                }
            }
        }
    }
}
