using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using OvsMirror.Cli.Validate;

namespace OvsMirror.Cli;

/// <summary>
/// <c>ovs-mirrorctl validate FILE…</c>: conflists, plugin configs and NAD manifests, each ovs-mirror plugin in them checked
/// by the plugin's own parsers, reporting every error with the code and message ADD would give. Needs no OVSDB.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<string[]>("FILE") { Description = "conflist, plugin config (JSON) or manifest (YAML)", Arity = ArgumentArity.OneOrMore };
        var cniArgs = new Option<string?>("--cni-args")
        {
            Description = "A pod's cni-args (JSON object) to give every JSON config, as Multus puts them in args.cni",
        };
        var output = new Option<CliOutput>("--output", "-o") { Description = "table or json", DefaultValueFactory = _ => CliOutput.Table };
        var command = new Command("validate", "Check ovs-mirror configs as the plugin would at ADD; exit 0 when all are valid.");
        command.Arguments.Add(files);
        command.Options.Add(cniArgs);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            JsonNode? args = null;
            var inputs = new List<(string Path, string Text)>();
            try
            {
                if (parse.GetValue(cniArgs) is { } argsPath)
                {
                    args = JsonNode.Parse(ReadText(argsPath)) as JsonObject
                        ?? throw new JsonException("not a JSON object");
                }

                foreach (var path in parse.GetValue(files)!)
                {
                    inputs.Add((path, ReadText(path)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                stderr.WriteLine($"ovs-mirrorctl validate: {e.Message}");
                return CliExitCode.Failure;
            }

            var report = new ValidateReport();
            report.Findings.AddRange(new ConfigFileValidator().Validate(inputs, args));
            report.Valid = report.Findings.All(f => f.Valid);
            if (parse.GetValue(output) == CliOutput.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.ValidateReport));
            }
            else
            {
                var table = new TableWriter("FILE", "WHERE", "RESULT", "MESSAGE");
                foreach (var f in report.Findings)
                {
                    table.Add(f.File, f.Where, f.Valid ? "ok" : $"error {f.Code}", f.Message + (f.Details is { } d ? $" ({d})" : ""));
                }

                table.WriteTo(stdout);
            }

            return report.Valid ? CliExitCode.Success : CliExitCode.NotValid;
        });
        return command;
    }

    private static string ReadText(string path) => File.ReadAllText(path);
}
