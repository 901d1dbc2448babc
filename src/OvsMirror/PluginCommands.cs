using System.Reflection;
using OvsMirror.Cni;
using OvsMirror.Install;

namespace OvsMirror;

/// <summary>
/// The plugin binary run by hand (no CNI_COMMAND): only what the DaemonSet, the image and an upgrade need,
/// parsed without System.CommandLine. Every CNI call pays for the image it starts (issue 14: System.CommandLine
/// and the commands built on it add 0.2 MiB of .hydrated data, 0.3 MiB of code and 0.6 MiB of max RSS to each
/// call), so the operator commands live in <c>ovs-mirrorctl</c>; these four take the same arguments and give the
/// same exit codes as they did under System.CommandLine (0; 1 for a usage error or a failure).
/// </summary>
internal static class PluginCommands
{
    private const string Usage = """
        Usage:
          ovs-mirror [command] [options]

        ovs-mirror: Open vSwitch port mirroring for Kubernetes pods, as a chained CNI plugin.
        Run by kubelet/Multus with CNI_COMMAND set, it is the plugin. The operator commands are in ovs-mirrorctl.

        Commands:
          version                                          Print the plugin version and the CNI spec versions it supports.
          install --cni-bin-dir DIR [--no-ovs-cni-names]   Copy this binary into the CNI bin dir atomically (temp file, fsync,
                                                           rename), with the ovs-cni names as symlinks (not with
                                                           --no-ovs-cni-names). Does nothing when the same build is already there.
          uninstall --cni-bin-dir DIR                      Remove what install put in the CNI bin dir: the ovs-mirror binary
                                                           (recognised by its content) and the symlinks to it. Nothing else.
          pause                                            Do nothing until SIGTERM or SIGINT, then exit 0: the DaemonSet's
                                                           main container (the image has no shell, no sleep).

        Options:
          -h, --help  Show this help.
          --version   Show the build version.
        """;

    /// <summary>The build's version: the assembly's informational version (e.g. <c>1.0.0+06e9432...</c>; hack/build.sh sets it).</summary>
    public static string BuildVersion { get; } =
        typeof(PluginCommands).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(PluginCommands).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <param name="args">The command line.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors go.</param>
    /// <param name="processPath">This executable's path (<c>/proc/self/exe</c>): what <c>install</c> copies.</param>
    /// <param name="waitForTermination">Blocks until the process is asked to stop (SIGTERM, SIGINT): what <c>pause</c> does.</param>
    /// <returns>0 on success, 1 on an error or a usage error.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, string? processPath, Action waitForTermination)
    {
        if (args.Count == 0)
        {
            stderr.WriteLine("Required command was not provided.");
            stdout.WriteLine(Usage);
            return 1;
        }

        if (args[0] is "-h" or "--help" or "-?")
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        if (args is ["--version"])
        {
            stdout.WriteLine(BuildVersion);
            return 0;
        }

        var rest = args.Skip(1).ToList();
        if (rest.Contains("-h") || rest.Contains("--help"))
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        switch (args[0])
        {
            case "version" when rest.Count == 0:
                stdout.WriteLine($"ovs-mirror {typeof(PluginCommands).Assembly.GetName().Version?.ToString(3)}");
                stdout.WriteLine($"build: {BuildVersion}");
                stdout.WriteLine($"CNI spec versions: {string.Join(", ", CniVersion.Supported)}");
                return 0;
            case "pause" when rest.Count == 0:
                waitForTermination();
                return 0;
            case "install":
                return Options(rest, allowNoLinks: true, stderr) is { } install
                    ? Reporting(stdout, stderr, () =>
                    {
                        if (string.IsNullOrEmpty(processPath))
                        {
                            throw new InstallException("cannot tell where this executable is (no /proc/self/exe?)");
                        }

                        var report = new CniBinInstaller(processPath).Install(install.CniBinDir, withOvsCniLinks: !install.NoLinks);
                        return (report, report.Changed ? $"installed ovs-mirror {BuildVersion}" : $"ovs-mirror {BuildVersion} already installed: nothing changed");
                    })
                    : 1;
            case "uninstall":
                return Options(rest, allowNoLinks: false, stderr) is { } uninstall
                    ? Reporting(stdout, stderr, () =>
                    {
                        var report = CniBinInstaller.Uninstall(uninstall.CniBinDir);
                        return (report, report.Changed ? "uninstalled" : "nothing to uninstall");
                    })
                    : 1;
            case "version" or "pause":
                return UsageError(stderr, $"Unrecognized command or argument '{rest[0]}'.");
            default:
                return UsageError(stderr, $"Unrecognized command or argument '{args[0]}'. The operator commands (list, gc, ...) are in ovs-mirrorctl.");
        }
    }

    /// <summary>--cni-bin-dir DIR (also --cni-bin-dir=DIR), required; --no-ovs-cni-names where allowed. Null after a usage error.</summary>
    private static (string CniBinDir, bool NoLinks)? Options(List<string> args, bool allowNoLinks, TextWriter stderr)
    {
        string? dir = null;
        var noLinks = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--cni-bin-dir=", StringComparison.Ordinal))
            {
                dir = arg["--cni-bin-dir=".Length..];
            }
            else if (arg == "--cni-bin-dir")
            {
                if (i + 1 >= args.Count)
                {
                    UsageError(stderr, "Required argument missing for option: '--cni-bin-dir'.");
                    return null;
                }

                dir = args[++i];
            }
            else if (allowNoLinks && arg == "--no-ovs-cni-names")
            {
                noLinks = true;
            }
            else
            {
                UsageError(stderr, $"Unrecognized command or argument '{arg}'.");
                return null;
            }
        }

        if (string.IsNullOrEmpty(dir))
        {
            UsageError(stderr, "Option '--cni-bin-dir' is required.");
            return null;
        }

        return (dir, noLinks);
    }

    private static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine(message);
        stderr.WriteLine("Run 'ovs-mirror --help' for usage.");
        return 1;
    }

    private static int Reporting(TextWriter stdout, TextWriter stderr, Func<(InstallReport Report, string Summary)> action)
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
