namespace OvsMirror.Cni;

/// <summary>The protocol parameters of one invocation, read from the environment and validated.</summary>
internal sealed class CniEnvironment
{
    private CniEnvironment(
        CniCommand command,
        string containerId,
        string? netns,
        string ifName,
        string path,
        IReadOnlyDictionary<string, string> args)
    {
        Command = command;
        ContainerId = containerId;
        Netns = netns;
        IfName = ifName;
        Path = path;
        Args = args;
    }

    public CniCommand Command { get; }

    public string ContainerId { get; }

    public string? Netns { get; }

    public string IfName { get; }

    public string Path { get; }

    public IReadOnlyDictionary<string, string> Args { get; }

    /// <summary>Reads <c>CNI_COMMAND</c> alone; a missing or unknown command is code 4.</summary>
    public static CniCommand ReadCommand(Func<string, string?> getenv)
    {
        string? value = getenv(CniEnvironmentVariables.Command);
        if (string.IsNullOrEmpty(value))
        {
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables, "CNI_COMMAND is required");
        }

        if (!CniCommandName.TryParse(value, out var command))
        {
            throw new CniException(
                CniErrorCode.InvalidEnvironmentVariables,
                "CNI_COMMAND is not one of ADD, DEL, CHECK, STATUS, GC, VERSION");
        }

        return command;
    }

    /// <summary>
    /// Reads every parameter <paramref name="command"/> uses. A required one that is missing or empty,
    /// or a malformed one, is code 4 (CNI SPEC §Error) with a message naming the variable. CNI_ARGS is read strictly
    /// for ADD and CHECK and leniently for the cleanup commands (see <see cref="CniArgsParser"/>); what is tolerated
    /// goes to <paramref name="warn"/>.
    /// </summary>
    public static CniEnvironment Read(Func<string, string?> getenv, CniCommand command, Action<string> warn)
    {
        string containerId = Read(getenv, CniEnvironmentVariables.ContainerId, command);
        if (containerId.Length > 0 && !CniIdentifierRules.IsValidContainerId(containerId))
        {
            throw new CniException(
                CniErrorCode.InvalidEnvironmentVariables,
                "CNI_CONTAINERID must start with an alphanumeric character and contain only alphanumerics, '_', '.' and '-'");
        }

        string ifName = Read(getenv, CniEnvironmentVariables.IfName, command);
        if (ifName.Length > 0 && !CniIdentifierRules.IsValidInterfaceName(ifName))
        {
            throw new CniException(
                CniErrorCode.InvalidEnvironmentVariables,
                $"CNI_IFNAME must be at most {CniIdentifierRules.MaxInterfaceNameBytes} bytes, not '.' or '..', and contain no '/', ':' or whitespace");
        }

        string netns = Read(getenv, CniEnvironmentVariables.Netns, command);
        string path = Read(getenv, CniEnvironmentVariables.Path, command);
        var strictness = command is CniCommand.Add or CniCommand.Check ? CniArgsStrictness.Strict : CniArgsStrictness.Lenient;
        var args = CniArgsParser.Parse(getenv(CniEnvironmentVariables.Args), strictness, warn);

        return new CniEnvironment(command, containerId, netns.Length > 0 ? netns : null, ifName, path, args);
    }

    private static string Read(Func<string, string?> getenv, string variable, CniCommand command)
    {
        string? value = getenv(variable);
        if (string.IsNullOrEmpty(value))
        {
            if (CniEnvironmentVariables.IsRequired(variable, command))
            {
                throw new CniException(
                    CniErrorCode.InvalidEnvironmentVariables,
                    $"{variable} is required for {CniCommandName.Of(command)}");
            }

            return string.Empty;
        }

        return value;
    }
}
