using System.Text.Json;

namespace OvsMirror.Bench;

/// <summary>A hermetic ovsdb-server (+ ovs-vswitchd) started and stopped through hack/bench/sandbox.sh.</summary>
internal sealed class Sandbox : IDisposable
{
    private readonly string script;
    private bool disposed;

    private Sandbox(string script, string dir, bool vswitchd)
    {
        this.script = script;
        Dir = dir;
        HasVswitchd = vswitchd;
    }

    public string Dir { get; }

    public bool HasVswitchd { get; }

    public string DbSock => Path.Combine(Dir, "db.sock");

    public string Db => "unix:" + DbSock;

    public string VswitchdCtl => Path.Combine(Dir, "ovs-vswitchd.ctl");

    public static Sandbox Up(Tools tools, bool vswitchd)
    {
        var dir = Proc.RunChecked(Command.Of(tools.SandboxScript, vswitchd ? "up-vswitchd" : "up-db")).Trim();
        if (!Directory.Exists(dir))
        {
            throw new BenchException($"sandbox.sh printed '{dir}', which is not a directory");
        }

        return new Sandbox(tools.SandboxScript, dir, vswitchd);
    }

    /// <summary>ovs-vsctl on this sandbox's DB; --no-wait unless <paramref name="wait"/> (needs ovs-vswitchd).</summary>
    public Command Vsctl(Tools tools, bool wait, params string[] args) =>
        Command.Of(tools.OvsVsctl, [$"--db={Db}", "--timeout=60", .. wait ? Array.Empty<string>() : ["--no-wait"], .. args]);

    public string VsctlChecked(Tools tools, params string[] args) => Proc.RunChecked(Vsctl(tools, wait: false, args));

    /// <summary>Rows of a table as ovs-vsctl --format=json prints them: column name → JSON value.</summary>
    public List<Dictionary<string, JsonElement>> List(Tools tools, string table, params string[] columns)
    {
        var json = VsctlChecked(tools, "--format=json", $"--columns={string.Join(',', columns)}", "list", table);
        using var doc = JsonDocument.Parse(json);
        var headings = doc.RootElement.GetProperty("headings").EnumerateArray().Select(h => h.GetString()!).ToArray();
        var rows = new List<Dictionary<string, JsonElement>>();
        foreach (var row in doc.RootElement.GetProperty("data").EnumerateArray())
        {
            var values = row.EnumerateArray().Select(v => v.Clone()).ToArray();
            rows.Add(headings.Zip(values).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
        }

        return rows;
    }

    public int Count(Tools tools, string table) => List(tools, table, "_uuid").Count;

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        var r = Proc.Run(Command.Of(script, "down", Dir));
        if (!r.Ok)
        {
            Log.Info($"warning: sandbox.sh down {Dir}: {r.Describe()}");
        }
    }
}

/// <summary>OVSDB JSON values as ovs-vsctl prints them (RFC 7047 notation).</summary>
internal static class OvsJson
{
    /// <summary>["uuid",U] → {U}; ["set",[["uuid",U],…]] → {U,…}.</summary>
    public static HashSet<string> Uuids(JsonElement value)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (value.ValueKind != JsonValueKind.Array)
        {
            return set;
        }

        var tag = value[0].GetString();
        if (tag == "uuid")
        {
            set.Add(value[1].GetString()!);
        }
        else if (tag == "set")
        {
            foreach (var atom in value[1].EnumerateArray())
            {
                if (atom.ValueKind == JsonValueKind.Array && atom[0].GetString() == "uuid")
                {
                    set.Add(atom[1].GetString()!);
                }
            }
        }

        return set;
    }

    /// <summary>["map",[[k,v],…]] → keys.</summary>
    public static List<string> MapKeys(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array && value[0].GetString() == "map"
            ? [.. value[1].EnumerateArray().Select(p => p[0].GetString()!)]
            : [];
}
