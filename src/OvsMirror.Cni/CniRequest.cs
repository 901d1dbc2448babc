namespace OvsMirror.Cni;

/// <summary>
/// One CNI invocation as the plugin sees it: the protocol parameters (CNI SPEC §Parameters) and the
/// network configuration from stdin, already validated for <see cref="Command"/>.
/// </summary>
public sealed class CniRequest
{
    /// <summary>CNI_COMMAND.</summary>
    public required CniCommand Command { get; init; }

    /// <summary>CNI_CONTAINERID: valid for ADD, DEL and CHECK; empty for STATUS and GC.</summary>
    public required string ContainerId { get; init; }

    /// <summary>CNI_NETNS: set for ADD and CHECK; DEL may lack it (CNI SPEC §DEL: clean up what is possible).</summary>
    public string? Netns { get; init; }

    /// <summary>CNI_IFNAME: valid for ADD, DEL and CHECK; empty for STATUS and GC.</summary>
    public required string IfName { get; init; }

    /// <summary>CNI_PATH: set for ADD, DEL, CHECK and GC; may be empty for STATUS.</summary>
    public required string Path { get; init; }

    /// <summary>CNI_ARGS as ordered <c>KEY=VALUE</c> pairs, unknown keys included.</summary>
    public required IReadOnlyDictionary<string, string> Args { get; init; }

    /// <summary>The basename of argv[0]. A plugin installed under several names may pick its config schema by it.</summary>
    public required string ProgramName { get; init; }

    /// <summary>The network configuration from stdin.</summary>
    public required NetworkConfig NetworkConfig { get; init; }
}
