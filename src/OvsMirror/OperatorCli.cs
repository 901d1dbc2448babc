using System.CommandLine;
using OvsMirror.Cli;
using OvsMirror.Cni;

namespace OvsMirror;

/// <summary>
/// Operator mode (no CNI_COMMAND): the same binary as a command-line tool built on System.CommandLine.
/// Exit codes: <see cref="CliExitCode"/>.
/// </summary>
internal static class OperatorCli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand(
            "ovs-mirror: Open vSwitch port mirroring for Kubernetes pods, as a chained CNI plugin.\n" +
            "Run by kubelet/Multus with CNI_COMMAND set, it is the plugin; run by hand, it is this tool.");

        var version = new Command("version", "Print the plugin version and the CNI spec versions it supports.");
        version.SetAction(_ =>
        {
            stdout.WriteLine($"ovs-mirror {typeof(OperatorCli).Assembly.GetName().Version?.ToString(3)}");
            stdout.WriteLine($"CNI spec versions: {string.Join(", ", CniVersion.Supported)}");
            return 0;
        });
        root.Subcommands.Add(version);
        root.Subcommands.Add(ListCommand.Create(stdout, stderr));
        root.Subcommands.Add(GcCommand.Create(stdout, stderr));

        var parse = root.Parse(args);
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
