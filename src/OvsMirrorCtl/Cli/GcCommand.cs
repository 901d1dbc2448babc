using System.CommandLine;
using System.Text.Json;
using OvsMirror.Cni;
using OvsMirror.Mirroring;

namespace OvsMirror.Cli;

/// <summary>
/// <c>ovs-mirrorctl gc</c>: attachments whose port (or LSP) is gone, owned mirrors with no attachment, and records that
/// cannot be read. <c>--dry-run</c> shows them; <c>--yes</c> removes them with the plugin's own GC
/// (<see cref="OvsMirrorPlugin.CollectGarbage"/>: the same guarded transactions, going on past each error).
/// </summary>
internal static class GcCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var scope = new CliScopeOptions();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be removed; change nothing" };
        var yes = new Option<bool>("--yes") { Description = "Remove it (required unless --dry-run)" };
        var command = new Command("gc", "Remove stale attachments, empty owned mirrors and unreadable records.");
        scope.AddTo(command);
        command.Options.Add(dryRun);
        command.Options.Add(yes);
        command.SetAction(parse =>
        {
            var dry = parse.GetValue(dryRun);
            if (!dry && !parse.GetValue(yes))
            {
                stderr.WriteLine("ovs-mirrorctl gc: nothing changed: pass --dry-run to see what would go, or --yes to remove it");
                return CliExitCode.NotConfirmed;
            }

            var report = new GcReport { DryRun = dry };
            try
            {
                scope.Read(parse).Run(stderr, backends =>
                {
                    foreach (var backend in backends)
                    {
                        report.Scopes.Add(Collect(backend, dry));
                    }
                });
            }
            catch (CniException e)
            {
                stderr.WriteLine($"ovs-mirrorctl gc: error {e.Code}: {e.Message}");
                if (e.Details is { } details)
                {
                    stderr.WriteLine($"ovs-mirrorctl gc: {details}");
                }

                return CliExitCode.Failure;
            }

            if (parse.GetValue(scope.Output) == CliOutput.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.GcReport));
                return CliExitCode.Success;
            }

            foreach (var s in report.Scopes)
            {
                var verb = dry ? "would remove" : "removed";
                stdout.WriteLine($"{s.Scope}: {verb} {s.Attachments.Count} attachment(s), {s.EmptyMirrors.Count} empty mirror(s), " +
                    $"{s.UnparseableRecords.Count} unreadable record(s)");
                foreach (var line in s.Attachments.Select(a => "attachment " + a)
                    .Concat(s.EmptyMirrors.Select(m => "empty mirror " + m))
                    .Concat(s.UnparseableRecords.Select(r => "unreadable record " + r)))
                {
                    stdout.WriteLine("  " + line);
                }
            }

            return CliExitCode.Success;
        });
        return command;
    }

    private static GcScopeReport Collect(IMirrorBackend backend, bool dryRun)
    {
        var inventory = backend.Inventory();
        var stale = inventory.Mirrors.SelectMany(m => m.Members.Where(x => x.TargetGone).Select(x => (Mirror: m.Name, Member: x))).ToList();
        var unparseable = inventory.Mirrors.SelectMany(m => m.UnparseableRecords).ToList();
        var report = new GcScopeReport
        {
            Scope = inventory.Scope,
            UnparseableRecords = [.. unparseable.Select(r => $"{r.Mirror}: {r.Key}")],
        };
        if (dryRun)
        {
            report.Attachments.AddRange(stale.Select(s => $"{s.Mirror}: {ReportBuilder.Display(s.Member)}"));
            report.EmptyMirrors.AddRange(backend.FindEmptyOwnedMirrors().Select(m => m.Name));
            return report;
        }

        // Exactly these attachments, each only while its record still names the port that was gone when read.
        var targets = new Dictionary<AttachmentId, string>();
        foreach (var (_, member) in stale)
        {
            targets[member.Id] = member.Record.Target;
        }

        var outcome = OvsMirrorPlugin.CollectGarbage(backend, AttachmentSelector.Exactly(targets), unparseable);
        report.Attachments.AddRange(outcome.Detached.Select(d => $"{d.Mirror}: " +
            ReportBuilder.Display(new InventoryMember(d.Id, "", d.Record, true))));
        report.EmptyMirrors.AddRange(outcome.RemovedMirrors.Select(m => m.Name));
        return report;
    }
}
