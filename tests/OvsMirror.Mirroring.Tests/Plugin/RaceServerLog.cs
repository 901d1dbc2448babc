using System.Text;
using OvsMirror.Testing;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// The ovsdb-server's own account of the transactions it answered: with the jsonrpc module at debug level it logs
/// every request and reply, prefixed by the session ("unix#7: send reply, ..."). A reply carrying
/// <c>"error":"timed out"</c> is a "wait" guard with timeout 0 that did not hold (RFC 7047 §5.2.6): a caller whose
/// planned write collided with another's and must re-read and retry. The plugin does not report its retries, so
/// this is how a race test proves that the race it wanted really happened.
/// </summary>
internal sealed class RaceServerLog
{
    private readonly string path;

    private RaceServerLog(string path) => this.path = path;

    public static async Task<RaceServerLog> EnableAsync(OvsSandbox sandbox)
    {
        await ProcessRunner.RunCheckedAsync(
            OvsTools.Require("ovs-appctl"), ["-t", sandbox.OvsdbServerCtl, "--timeout=10", "vlog/set", "jsonrpc:file:dbg"]);
        return new RaceServerLog(Path.Combine(sandbox.Directory, "ovsdb-server.log"));
    }

    /// <summary>Where the log ends now: pass it to <see cref="FailedGuardsSince"/> after the round.</summary>
    public long Mark() => new FileInfo(path).Length;

    /// <summary>The params of every "transact" request since <paramref name="mark"/>, as the server received them.</summary>
    public IReadOnlyList<System.Text.Json.Nodes.JsonArray> TransactionsSince(long mark)
    {
        const string Marker = "received request, method=\"transact\", params=";
        var transactions = new List<System.Text.Json.Nodes.JsonArray>();
        foreach (var line in LinesSince(mark))
        {
            var at = line.IndexOf(Marker, StringComparison.Ordinal);
            var end = line.LastIndexOf(", id=", StringComparison.Ordinal);
            if (at >= 0 && end > at)
            {
                transactions.Add(System.Text.Json.Nodes.JsonNode.Parse(line[(at + Marker.Length)..end])!.AsArray());
            }
        }

        return transactions;
    }

    private List<string> LinesSince(long mark)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(mark, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>The session of each reply since <paramref name="mark"/> in which a guard failed (one entry per reply).</summary>
    public IReadOnlyList<string> FailedGuardsSince(long mark)
    {
        var sessions = new List<string>();
        foreach (var line in LinesSince(mark))
        {
            const string Marker = "|jsonrpc|DBG|";
            var at = line.IndexOf(Marker, StringComparison.Ordinal);
            if (at < 0 || !line.Contains(": send reply, ", StringComparison.Ordinal) ||
                !line.Contains("\"error\":\"timed out\"", StringComparison.Ordinal))
            {
                continue;
            }

            var start = at + Marker.Length;
            sessions.Add(line[start..line.IndexOf(':', start)]);
        }

        return sessions;
    }
}
