using System.CommandLine;
using OvsMirror.Mirroring.Ovs;

namespace OvsMirror.Cli;

/// <summary>The options that say which database and which bridge a command looks at, shared by list and gc.</summary>
internal sealed class CliScopeOptions
{
    public Option<string> Socket { get; } = new("--socket")
    {
        Description = "OVSDB (Open_vSwitch): unix:PATH, tcp:HOST:PORT or an absolute path, as socket_file",
        DefaultValueFactory = _ => PluginConfig.DefaultSocketFile,
    };

    public Option<string?> Bridge { get; } = new("--bridge") { Description = "Only this bridge (default: every bridge)" };

    public Option<string?> OvnNb { get; } = new("--ovn-nb")
    {
        Description = "OVN Northbound (unix:PATH or tcp:HOST:PORT): look at its mirrors instead of the bridges'",
    };

    public Option<int> TimeoutMs { get; } = new("--timeout-ms")
    {
        Description = "Deadline of the whole command, as timeoutMs",
        DefaultValueFactory = _ => 10_000,
    };

    public Option<CliOutput> Output { get; } = new("--output", "-o") { Description = "table or json", DefaultValueFactory = _ => CliOutput.Table };

    public void AddTo(Command command)
    {
        command.Options.Add(Socket);
        command.Options.Add(Bridge);
        command.Options.Add(OvnNb);
        command.Options.Add(TimeoutMs);
        command.Options.Add(Output);
    }

    public CliScope Read(ParseResult parse) =>
        new(parse.GetValue(Socket)!, parse.GetValue(Bridge), parse.GetValue(OvnNb), parse.GetValue(TimeoutMs));
}
