using System.Text.Json;
using System.Text.Json.Nodes;

namespace OvsMirror.Faults.Tests;

/// <summary>What one plugin call under a fault produced: exit status, CNI error (if any), stdout, stderr and wall time.</summary>
internal sealed record FaultRun(string Command, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, bool Killed = false)
{
    /// <summary>The CNI error code (CNI SPEC §Error), or null on success or when stdout is not an error object.</summary>
    public int? Code => Error?["code"]?.GetValue<int>();

    public string Message => Error?["msg"]?.GetValue<string>() ?? "";

    public bool Succeeded => !Killed && ExitCode == 0;

    private JsonObject? Error
    {
        get
        {
            if (ExitCode == 0 || Stdout.Length == 0)
            {
                return null;
            }

            try
            {
                return JsonNode.Parse(Stdout) as JsonObject;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The contract for every call that was not killed: success (exit 0), or exit 1 with a CNI error JSON whose code is
    /// one of <paramref name="allowedCodes"/>; never 999, never a crash, never an unparseable stdout.
    /// Returns what is wrong, or null.
    /// </summary>
    public string? Violation(params int[] allowedCodes)
    {
        if (Killed || ExitCode == 0)
        {
            return null;
        }

        if (ExitCode != 1 || Code is not { } code)
        {
            return $"{Command}: exit {ExitCode} without a CNI error on stdout ({Stdout.Trim()}; stderr {Stderr.Trim()})";
        }

        return allowedCodes.Contains(code) ? null : $"{Command}: code {code} ({Message}) is not one of [{string.Join(", ", allowedCodes)}]";
    }

    public override string ToString() => $"{Command}: exit {ExitCode} in {Elapsed.TotalMilliseconds:0} ms{(Killed ? " (killed)" : "")}; {Stdout.Trim()}";
}
