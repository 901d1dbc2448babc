using OvsMirror.Mirroring.Config;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// One validated mirror entry of the config (DESIGN §2): this attachment is a source (<see cref="MirrorRole.Producer"/>)
/// or the output (<see cref="MirrorRole.Consumer"/>) of the mirror <see cref="Name"/> on the configured bridge.
/// </summary>
internal sealed class MirrorRequest
{
    /// <summary>Creates a request; <see cref="PluginConfigParser"/> is the one place that validates the values.</summary>
    public MirrorRequest(
        string name,
        MirrorRole role,
        MirrorSelection selection,
        IReadOnlyList<int> vlans,
        MirrorOutputKind outputKind,
        int? outputVlan,
        int? snaplen,
        ConfigSource source,
        RemoteOutput? remote = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(vlans);
        Name = name;
        Role = role;
        Selection = selection;
        Vlans = vlans;
        OutputKind = outputKind;
        OutputVlan = outputVlan;
        Snaplen = snaplen;
        Source = source;
        Remote = remote;
    }

    /// <summary><c>Mirror.name</c>: non-empty, at most 255 UTF-8 bytes.</summary>
    public string Name { get; }

    public MirrorRole Role { get; }

    /// <summary>What a producer selects; <see cref="MirrorSelection.None"/> for a consumer.</summary>
    public MirrorSelection Selection { get; }

    /// <summary>
    /// The <c>vlans</c> of a <see cref="MirrorSelection.Vlan"/> selection, ascending and distinct.
    /// Empty means "use the pod port's own tag" (DESIGN §2).
    /// </summary>
    public IReadOnlyList<int> Vlans { get; }

    /// <summary>What a consumer becomes; <see cref="MirrorOutputKind.None"/> for a producer.</summary>
    public MirrorOutputKind OutputKind { get; }

    /// <summary>
    /// <c>outputVlan</c> of an RSPAN consumer (1-4095); null means "use the consumer port's tag".
    /// Always null unless <see cref="OutputKind"/> is <see cref="MirrorOutputKind.Vlan"/>.
    /// </summary>
    public int? OutputVlan { get; }

    /// <summary><c>Mirror.snaplen</c> (14-65535), or null to leave packets whole.</summary>
    public int? Snaplen { get; }

    /// <summary>
    /// Who asked: when NAD and pod entries of the same name were merged, <see cref="ConfigSource.Nad"/>.
    /// </summary>
    public ConfigSource Source { get; }

    /// <summary>A producer's <c>remote</c>: the mirror outputs to a GRE/ERSPAN tunnel; null for none.</summary>
    public RemoteOutput? Remote { get; }

    /// <summary>
    /// What an ADD must ask about the mirror it joins for this request (AttachPlanner): ownership before it changes a
    /// mirror-wide setting (snaplen, selection all or vlan, a remote or RSPAN output), and for a VLAN selection whether
    /// the mirror selects no port.
    /// </summary>
    public AttachProbes Probes
    {
        get
        {
            var vlan = (Selection & MirrorSelection.Vlan) != 0;
            var owned = vlan || (Selection & MirrorSelection.All) != 0 || Snaplen is not null || Remote is not null || OutputKind == MirrorOutputKind.Vlan;
            return (owned ? AttachProbes.Owned : AttachProbes.None) | (vlan ? AttachProbes.Portless : AttachProbes.None);
        }
    }
}
