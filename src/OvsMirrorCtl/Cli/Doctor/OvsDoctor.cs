using System.Globalization;
using OvsMirror.Mirroring;
using OvsMirror.Mirroring.Ovs;
using OvsMirror.Ovsdb;

namespace OvsMirror.Cli.Doctor;

/// <summary>The Open_vSwitch database and ovs-vswitchd, as the plugin will meet them on this node.</summary>
internal static class OvsDoctor
{
    /// <summary>ofproto's MAX_MIRRORS: a bridge holds at most 32 mirrors (ovs-vswitchd.conf.db(5), Mirror table).</summary>
    public const int MirrorsPerBridge = 32;

    /// <summary>From this many mirrors on one bridge, doctor warns.</summary>
    public const int MirrorsWarnAt = 28;

    public static IEnumerable<DoctorCheck> Run(OvsdbEndpoint endpoint, TimeSpan timeout, string? vswitchdCtl, CliScope scope, TextWriter log)
    {
        OvsdbConnection connection;
        try
        {
            connection = OvsdbConnection.Connect(endpoint, timeout);
        }
        catch (OvsdbException e)
        {
            return [Fail("OVSDB reachable", $"{endpoint}: {e.Message}",
                "start Open vSwitch (systemctl start openvswitch-switch), or pass --socket as in the NAD's socket_file")];
        }

        var checks = new List<DoctorCheck>();
        using (connection)
        {
            connection.Deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            checks.Add(Pass("OVSDB reachable", endpoint.ToString()));
            var rows = connection.Transact(new Transaction(VswitchSchema.Database).Add(new SelectOperation(VswitchSchema.OpenVSwitch,
                    Where.All, ["ovs_version", "db_version", VswitchSchema.CurCfg, VswitchSchema.NextCfg])))
                .ThrowIfAnyFailed()[0].Rows;
            var row = rows.Count > 0 ? rows[0] : null;
            var schema = connection.GetSchema(VswitchSchema.Database);
            checks.Add(Versions(row, schema));
            checks.Add(Features(schema));
            checks.Add(Applied(row));
        }

        checks.Add(ControlSocket(VswitchdControlSocket.Find(vswitchdCtl, endpoint), timeout));
        scope.Run(log, backends => checks.AddRange(backends.Select(b => b.Inventory()).SelectMany(Inventory)));
        return checks;
    }

    /// <summary>Per bridge, or for OVN Northbound: the mirror limit, mirrors copying nowhere, and what gc would remove.</summary>
    public static IEnumerable<DoctorCheck> Inventory(MirrorInventory inventory)
    {
        var scope = inventory.Scope;
        if (inventory.Backend == "ovs")
        {
            var count = inventory.Mirrors.Count;
            var detail = $"{scope}: {count} of {MirrorsPerBridge}";
            yield return count >= MirrorsPerBridge
                ? Fail($"mirrors on {scope}", detail, "a new mirror on this bridge fails: remove unused mirrors (ovs-mirrorctl gc) or put producers on another bridge")
                : count >= MirrorsWarnAt
                    ? Warn($"mirrors on {scope}", detail, "close to the limit of 32: plan for another bridge")
                    : Pass($"mirrors on {scope}", detail);
        }

        var silent = inventory.Mirrors.Where(m => !m.HasOutput).Select(m => m.Name).ToList();
        yield return silent.Count == 0
            ? Pass($"outputs on {scope}", "every mirror has an output")
            : Warn($"outputs on {scope}", $"{silent.Count} mirror(s) copy to nowhere: {string.Join(", ", silent)}",
                "start the consumer pod (or set the remote) of each, or remove the mirror");

        var gone = inventory.Mirrors.SelectMany(m => m.Members.Where(x => x.TargetGone)).Count();
        var unreadable = inventory.Mirrors.Sum(m => m.UnparseableRecords.Count);
        var empty = inventory.Mirrors.Count(m => m.Owned && m.Members.Count == 0 && m.UnparseableRecords.Count == 0);
        yield return gone + unreadable + empty == 0
            ? Pass($"stale records on {scope}", "none")
            : Warn($"stale records on {scope}",
                $"{gone} attachment(s) whose port is gone, {empty} owned mirror(s) with no attachment, {unreadable} unreadable record(s)",
                "ovs-mirrorctl gc --dry-run to see them, then ovs-mirrorctl gc --yes");
    }

    private static DoctorCheck Versions(OvsdbRow? row, OvsdbSchema schema)
    {
        if (row is null)
        {
            return Fail("OVS version", "the Open_vSwitch table has no row", "initialise the database: ovs-vsctl --no-wait init");
        }

        // ovs-vswitchd.conf.db(5): ovs_version and db_version are set by the start-up scripts (ovs-ctl), not by the
        // daemons, so a hand-started OVS leaves them empty; the schema's own version always answers.
        var ovs = Optional(row, "ovs_version");
        var recorded = Optional(row, "db_version");
        var detail = $"Open vSwitch {ovs ?? "(ovs_version not recorded)"}, schema {schema.Version}";
        return recorded is not null && recorded != schema.Version
            ? Warn("OVS version", detail + $", but db_version says {recorded}",
                "the database was upgraded without ovs-ctl: restart Open vSwitch with its scripts")
            : Pass("OVS version", detail);
    }

    private static DoctorCheck Features(OvsdbSchema schema)
    {
        // ovs-vswitchd.conf.db(5): Mirror:snaplen is what the "snaplen" key sets; Mirror:filter (OVS 3.5+) is optional.
        var snaplen = schema.HasColumn(VswitchSchema.Mirror, VswitchSchema.Snaplen);
        var filter = schema.HasColumn(VswitchSchema.Mirror, "filter");
        var detail = $"schema {schema.Version}: Mirror.snaplen {(snaplen ? "yes" : "no")}, Mirror.filter {(filter ? "yes" : "no")}";
        return snaplen
            ? Pass("schema features", detail)
            : Warn("schema features", detail, "configs with \"snaplen\" fail on this OVS (needs 2.11 or later)");
    }

    private static DoctorCheck Applied(OvsdbRow? row)
    {
        if (row is null)
        {
            return Fail("ovs-vswitchd applied the database", "no Open_vSwitch row", "ovs-vsctl --no-wait init");
        }

        var next = ((OvsdbAtom)row.Get(VswitchSchema.NextCfg)).AsInteger();
        var cur = ((OvsdbAtom)row.Get(VswitchSchema.CurCfg)).AsInteger();
        var detail = string.Create(CultureInfo.InvariantCulture, $"cur_cfg {cur}, next_cfg {next}");
        return cur >= next
            ? Pass("ovs-vswitchd applied the database", detail)
            : Warn("ovs-vswitchd applied the database", detail + ": ovs-vswitchd is behind (busy, stalled or not running); mirror changes wait",
                "check ovs-vswitchd (ovs-appctl -t ovs-vswitchd version; its log); run doctor again to see whether cur_cfg moves");
    }

    private static DoctorCheck ControlSocket(string? path, TimeSpan timeout)
    {
        const string Name = "ovs-vswitchd control socket";
        const string Fix = "set \"vswitchdCtl\" in the NAD (and --vswitchd-ctl here): without it established flows keep their old mirroring until they expire";
        if (path is null)
        {
            return Warn(Name, "not found next to the OVSDB socket", Fix);
        }

        try
        {
            using var unixctl = OvsdbConnection.Connect(OvsdbEndpoint.Unix(path), timeout);
            using var reply = unixctl.Call("version", static w => { w.WriteStartArray(); w.WriteEndArray(); });
            // The whole JSON-RPC response: unixctl's "version" result is one line of text.
            var version = reply.RootElement.TryGetProperty("result", out var result) && result.ValueKind == System.Text.Json.JsonValueKind.String
                ? result.GetString()!.Split('\n')[0].Trim()
                : "?";
            return Pass(Name, $"{path} answers: {version}");
        }
        catch (Exception e) when (e is OvsdbException or InvalidOperationException)
        {
            return Warn(Name, $"{path}: {e.Message}", Fix);
        }
    }

    private static string? Optional(OvsdbRow row, string column) =>
        row.TryGet(column, out var value) && value.AsAtoms() is [var atom] && atom.AsString() is { Length: > 0 } text ? text : null;

    public static DoctorCheck Pass(string check, string detail) => new() { Check = check, Status = DoctorStatus.Pass, Detail = detail };

    public static DoctorCheck Warn(string check, string detail, string fix) =>
        new() { Check = check, Status = DoctorStatus.Warn, Detail = detail, Fix = fix };

    public static DoctorCheck Fail(string check, string detail, string fix) =>
        new() { Check = check, Status = DoctorStatus.Fail, Detail = detail, Fix = fix };
}
