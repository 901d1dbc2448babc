using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OvsMirror.Cni;

namespace OvsMirror.Cli;

/// <summary>
/// <c>ovs-mirrorctl list</c>: every mirror with its owner, selection, output (the consumer pod, an RSPAN VLAN or a tunnel
/// and its remote), members as <c>namespace/pod ifname (port)</c> marking gone ports, and Mirror:statistics.
/// </summary>
internal static class ListCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var scope = new CliScopeOptions();
        var command = new Command("list", "List mirrors, their member pods and statistics (OVS bridges, or OVN Northbound with --ovn-nb).");
        scope.AddTo(command);
        command.SetAction(parse =>
        {
            var report = new ListReport();
            try
            {
                scope.Read(parse).Run(stderr, backends => report.Scopes.AddRange(backends.Select(b => ReportBuilder.Scope(b.Inventory()))));
            }
            catch (CniException e)
            {
                stderr.WriteLine($"ovs-mirrorctl list: error {e.Code}: {e.Message}");
                return CliExitCode.Failure;
            }

            if (parse.GetValue(scope.Output) == CliOutput.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.ListReport));
            }
            else
            {
                WriteTable(report, stdout);
            }

            return CliExitCode.Success;
        });
        return command;
    }

    private static void WriteTable(ListReport report, TextWriter stdout)
    {
        foreach (var scope in report.Scopes)
        {
            var interval = scope.StatisticsIntervalMs is { } ms
                ? string.Create(CultureInfo.InvariantCulture, $"; statistics refreshed every {ms} ms (other_config:stats-update-interval)")
                : "";
            stdout.WriteLine(scope.Exists ? $"{scope.Scope}: {scope.Mirrors.Count} mirror(s){interval}" : $"{scope.Scope}: does not exist");
            if (scope.Mirrors.Count == 0)
            {
                continue;
            }

            var table = new TableWriter("MIRROR", "OWNER", "SELECTION", "OUTPUT", "TX_PACKETS", "TX_BYTES");
            foreach (var mirror in scope.Mirrors)
            {
                table.Add(mirror.Name, mirror.Owner, mirror.Selection,
                    mirror.Output + (mirror.Consumer is { } consumer ? $" = {consumer}" : ""),
                    mirror.TxPackets?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    mirror.TxBytes?.ToString(CultureInfo.InvariantCulture) ?? "-");
            }

            table.WriteTo(stdout);
            foreach (var mirror in scope.Mirrors.Where(m => m.Members.Count > 0 || m.UnparseableRecords.Count > 0))
            {
                stdout.WriteLine($"{mirror.Name} members:");
                foreach (var member in mirror.Members)
                {
                    stdout.WriteLine($"  {member.Role,-8}  {member.Display}");
                }

                foreach (var key in mirror.UnparseableRecords)
                {
                    stdout.WriteLine($"  {"?",-8}  unreadable record {key}");
                }
            }
        }
    }
}
