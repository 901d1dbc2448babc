namespace OvsMirror.Cni;

/// <summary>The wire spelling of <see cref="CniCommand"/> in <c>CNI_COMMAND</c> (CNI SPEC §Parameters; case-sensitive, like skel).</summary>
public static class CniCommandName
{
    /// <summary>Parses the value of <c>CNI_COMMAND</c>.</summary>
    public static bool TryParse(string? value, out CniCommand command)
    {
        switch (value)
        {
            case "ADD": command = CniCommand.Add; return true;
            case "DEL": command = CniCommand.Del; return true;
            case "CHECK": command = CniCommand.Check; return true;
            case "STATUS": command = CniCommand.Status; return true;
            case "GC": command = CniCommand.Gc; return true;
            case "VERSION": command = CniCommand.Version; return true;
            default: command = default; return false;
        }
    }

    /// <summary>The value of <c>CNI_COMMAND</c> that selects <paramref name="command"/>.</summary>
    public static string Of(CniCommand command) => command switch
    {
        CniCommand.Add => "ADD",
        CniCommand.Del => "DEL",
        CniCommand.Check => "CHECK",
        CniCommand.Status => "STATUS",
        CniCommand.Gc => "GC",
        CniCommand.Version => "VERSION",
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "not a CNI command"),
    };
}
