namespace OvsMirror.Cni;

/// <summary>
/// The protocol parameters of CNI SPEC §Parameters and which command requires which,
/// like skel's table (CNI SPEC §ADD, §DEL, §CHECK, §STATUS, §GC "Required environment parameters").
/// </summary>
public static class CniEnvironmentVariables
{
    /// <summary>The operation: ADD, DEL, CHECK, STATUS, GC or VERSION. Required by every command.</summary>
    public const string Command = "CNI_COMMAND";

    /// <summary>The container ID, allocated by the runtime.</summary>
    public const string ContainerId = "CNI_CONTAINERID";

    /// <summary>A reference to the container's isolation domain, e.g. a netns path.</summary>
    public const string Netns = "CNI_NETNS";

    /// <summary>The name of the interface inside the container.</summary>
    public const string IfName = "CNI_IFNAME";

    /// <summary>Extra arguments: <c>KEY=VALUE</c> pairs separated by ';'. Always optional.</summary>
    public const string Args = "CNI_ARGS";

    /// <summary>The list of directories to search for CNI plugin executables.</summary>
    public const string Path = "CNI_PATH";

    /// <summary>
    /// True when <paramref name="command"/> fails without <paramref name="variable"/>.
    /// ADD and CHECK need CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME and CNI_PATH; DEL the same except CNI_NETNS
    /// (CNI SPEC §DEL: the plugin cleans up what it can without it); GC needs CNI_PATH (CNI SPEC 1.1 §GC);
    /// STATUS (CNI_PATH optional, CNI SPEC 1.1 §STATUS) and VERSION need only CNI_COMMAND.
    /// </summary>
    public static bool IsRequired(string variable, CniCommand command) => variable switch
    {
        Command => true,
        ContainerId or IfName => command is CniCommand.Add or CniCommand.Del or CniCommand.Check,
        Netns => command is CniCommand.Add or CniCommand.Check,
        Path => command is CniCommand.Add or CniCommand.Del or CniCommand.Check or CniCommand.Gc,
        _ => false,
    };
}
