using System.CommandLine;
using System.Reflection;
using OvsMirror.Cli;
using OvsMirror.Cni;

namespace OvsMirror;

/// <summary>
/// <c>ovs-mirrorctl</c>: the node operator's tool beside the plugin (list, gc, validate, doctor), on System.CommandLine.
/// Exit codes: <see cref="CliExitCode"/>.
/// </summary>
internal static class CtlCli
{
    /// <summary>The build's version: the assembly's informational version (hack/build.sh sets it).</summary>
    public static string BuildVersion { get; } =
        typeof(CtlCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CtlCli).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand(
            "ovs-mirrorctl: which pods feed which mirror, who consumes it, whether copies flow, and what to fix;\n" +
            "for the ovs-mirror CNI plugin's mirrors on Open vSwitch bridges and in OVN Northbound.");
        var version = new Command("version", "Print the version and the CNI spec versions the plugin supports.");
        version.SetAction(_ =>
        {
            stdout.WriteLine($"ovs-mirrorctl {typeof(CtlCli).Assembly.GetName().Version?.ToString(3)}");
            stdout.WriteLine($"build: {BuildVersion}");
            stdout.WriteLine($"CNI spec versions: {string.Join(", ", CniVersion.Supported)}");
            return CliExitCode.Success;
        });
        root.Subcommands.Add(version);
        root.Subcommands.Add(ListCommand.Create(stdout, stderr));
        root.Subcommands.Add(GcCommand.Create(stdout, stderr));
        root.Subcommands.Add(ValidateCommand.Create(stdout, stderr));
        root.Subcommands.Add(DoctorCommand.Create(stdout, stderr));
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
