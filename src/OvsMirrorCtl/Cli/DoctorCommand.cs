using System.CommandLine;
using System.Text.Json;
using OvsMirror.Cli.Doctor;
using OvsMirror.Cni;

namespace OvsMirror.Cli;

/// <summary>
/// <c>ovs-mirrorctl doctor</c>: whether this node can run ovs-mirror, as a table of checks (pass, warn, fail) each with a
/// one-line fix. Exit 0 when nothing failed (warnings included), 3 when a check failed, 1 for a bad command line.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var scope = new CliScopeOptions();
        var vswitchdCtl = new Option<string?>("--vswitchd-ctl")
        {
            Description = "ovs-vswitchd's unixctl socket, as vswitchdCtl (default: found next to the OVSDB socket)",
        };
        var command = new Command("doctor", "Check OVSDB, ovs-vswitchd, OVN Northbound (--ovn-nb) and the mirrors; a fix for each problem.");
        scope.AddTo(command);
        command.Options.Add(vswitchdCtl);
        command.SetAction(parse =>
        {
            var report = new DoctorReport();
            try
            {
                var cli = scope.Read(parse);
                var (endpoint, timeout) = cli.Ovs();
                report.Checks.AddRange(OvsDoctor.Run(endpoint, timeout, parse.GetValue(vswitchdCtl), cli.BridgesOnly(), stderr));
                if (cli.Northbound() is { } nb)
                {
                    report.Checks.AddRange(NorthboundDoctor.Run(nb.Endpoint, nb.Timeout, cli, stderr));
                }
            }
            catch (CniException e)
            {
                stderr.WriteLine($"ovs-mirrorctl doctor: error {e.Code}: {e.Message}");
                return CliExitCode.Failure;
            }

            report.Healthy = report.Checks.All(c => c.Status != DoctorStatus.Fail);
            if (parse.GetValue(scope.Output) == CliOutput.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.DoctorReport));
            }
            else
            {
                var table = new TableWriter("CHECK", "STATUS", "DETAIL", "FIX");
                foreach (var c in report.Checks)
                {
                    table.Add(c.Check, c.Status.ToString().ToLowerInvariant(), c.Detail, c.Fix ?? "");
                }

                table.WriteTo(stdout);
            }

            return report.Healthy ? CliExitCode.Success : CliExitCode.NotValid;
        });
        return command;
    }
}
