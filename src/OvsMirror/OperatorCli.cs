using System.CommandLine;
using System.Reflection;
using OvsMirror.Cni;
using OvsMirror.Install;

namespace OvsMirror;

/// <summary>
/// Run without CNI_COMMAND: version, and what the DaemonSet runs (install, uninstall, pause). The operator's commands
/// (list, gc, validate, doctor) are ovs-mirrorctl's, so that this binary stays small for every pod start.
/// </summary>
internal static class OperatorCli
{
    /// <summary>The build's version: the assembly's informational version (e.g. <c>1.0.0+06e9432...</c>; hack/build.sh sets it).</summary>
    public static string BuildVersion { get; } =
        typeof(OperatorCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OperatorCli).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <param name="args">The command line.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors go.</param>
    /// <param name="processPath">This executable's path (<c>/proc/self/exe</c>): what <c>install</c> copies.</param>
    /// <param name="waitForTermination">Blocks until the process is asked to stop (SIGTERM, SIGINT): what <c>pause</c> does.</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, string? processPath, Action waitForTermination)
    {
        var root = new RootCommand(
            "ovs-mirror: Open vSwitch port mirroring for Kubernetes pods, as a chained CNI plugin.\n" +
            "Run by kubelet/Multus with CNI_COMMAND set, it is the plugin; by hand: version, install, uninstall, pause.\n" +
            "The operator's tool (list, gc, validate, doctor) is ovs-mirrorctl.");

        var version = new Command("version", "Print the plugin version and the CNI spec versions it supports.");
        version.SetAction(_ =>
        {
            stdout.WriteLine($"ovs-mirror {typeof(OperatorCli).Assembly.GetName().Version?.ToString(3)}");
            stdout.WriteLine($"build: {BuildVersion}");
            stdout.WriteLine($"CNI spec versions: {string.Join(", ", CniVersion.Supported)}");
            return 0;
        });
        root.Subcommands.Add(version);
        root.Subcommands.Add(InstallCommand(stdout, stderr, processPath));
        root.Subcommands.Add(UninstallCommand(stdout, stderr));

        var pause = new Command("pause",
            "Do nothing until SIGTERM or SIGINT, then exit 0: the DaemonSet's main container (the image has no shell, no sleep).");
        pause.SetAction(_ =>
        {
            waitForTermination();
            return 0;
        });
        root.Subcommands.Add(pause);

        var parse = root.Parse(args);
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static Option<string> CniBinDirOption() => new("--cni-bin-dir")
    {
        Description = "kubelet's CNI bin dir (the node's /opt/cni/bin, as mounted into the container)",
        Required = true,
    };

    private static Command InstallCommand(TextWriter stdout, TextWriter stderr, string? processPath)
    {
        var dir = CniBinDirOption();
        var noLinks = new Option<bool>("--no-ovs-cni-names")
        {
            Description = "do not make the ovs-mirror-producer / ovs-mirror-consumer symlinks (ovs-cni's own plugins of those names stay)",
        };
        var command = new Command("install",
            "Copy this binary into the CNI bin dir atomically (temp file, fsync, rename), with the ovs-cni names as symlinks. " +
            "Does nothing when the same build is already there.") { dir, noLinks };
        command.SetAction(parse => RunReporting(stdout, stderr, () =>
        {
            if (string.IsNullOrEmpty(processPath))
            {
                throw new InstallException("cannot tell where this executable is (no /proc/self/exe?)");
            }

            var report = new CniBinInstaller(processPath).Install(parse.GetValue(dir)!, withOvsCniLinks: !parse.GetValue(noLinks));
            return (report, report.Changed ? $"installed ovs-mirror {BuildVersion}" : $"ovs-mirror {BuildVersion} already installed: nothing changed");
        }));
        return command;
    }

    private static Command UninstallCommand(TextWriter stdout, TextWriter stderr)
    {
        var dir = CniBinDirOption();
        var command = new Command("uninstall",
            "Remove what install put in the CNI bin dir: the ovs-mirror binary (recognised by its content) and the symlinks to it. Nothing else.") { dir };
        command.SetAction(parse => RunReporting(stdout, stderr, () =>
        {
            var report = CniBinInstaller.Uninstall(parse.GetValue(dir)!);
            return (report, report.Changed ? "uninstalled" : "nothing to uninstall");
        }));
        return command;
    }

    private static int RunReporting(TextWriter stdout, TextWriter stderr, Func<(InstallReport Report, string Summary)> action)
    {
        try
        {
            var (report, summary) = action();
            foreach (var line in report.Lines)
            {
                stdout.WriteLine(line);
            }

            stdout.WriteLine(summary);
            return 0;
        }
        catch (Exception ex) when (ex is InstallException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"ovs-mirror: error: {ex.Message}");
            return 1;
        }
    }
}
