using System.Text;
using OvsMirror.Cni;
using OvsMirror.Mirroring.Ovn;
using OvsMirror.Mirroring.Ovs;
using OvsMirror.Ovsdb;

namespace OvsMirror.Fuzz;

/// <summary>
/// The fuzz targets of issue 13. Each takes arbitrary bytes and must return normally or with the typed error of its
/// layer; anything else is a <see cref="FuzzPropertyException"/> (which afl++ sees as a crash).
/// </summary>
public static class FuzzTargets
{
    public static IReadOnlyList<string> Names { get; } = ["config", "cni-args", "ovsdb-reply", "attachment-record"];

    private static readonly string[] Commands = ["ADD", "CHECK", "DEL", "GC", "STATUS"];
    private static readonly string[] ProgramNames = ["ovs-mirror", "ovs-mirror-producer", "ovs-mirror-consumer"];

    public static void Run(string target, ReadOnlySpan<byte> input)
    {
        switch (target)
        {
            case "config":
                Config(input);
                break;
            case "cni-args":
                CniArgs(input);
                break;
            case "ovsdb-reply":
                OvsdbReply(input);
                break;
            case "attachment-record":
                AttachmentRecords(input);
                break;
            default:
                throw new ArgumentException($"unknown fuzz target {target}; targets: {string.Join(", ", Names)}", nameof(target));
        }
    }

    /// <summary>
    /// stdin → network config → plugin config, through the real dispatcher, for every command and every program name.
    /// Property: exit 0, or exit 1 with a CNI error whose code is not 999 (CNI SPEC §Error; 999 is "a bug").
    /// </summary>
    public static void Config(ReadOnlySpan<byte> stdin)
    {
        var bytes = stdin.ToArray();
        foreach (var command in Commands)
        {
            foreach (var program in ProgramNames)
            {
                var env = new Dictionary<string, string>
                {
                    ["CNI_COMMAND"] = command,
                    ["CNI_CONTAINERID"] = "fuzz",
                    ["CNI_NETNS"] = "/var/run/netns/fuzz",
                    ["CNI_IFNAME"] = "eth1",
                    ["CNI_PATH"] = "/opt/cni/bin",
                    ["CNI_ARGS"] = "IgnoreUnknown=true;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=pod;IgnoreUnknown=1;K8S_POD_NAME=pod",
                };
                using var stdout = new MemoryStream();
                using var stderr = new StringWriter();
                var exit = new CniDispatcher(env.GetValueOrDefault, new MemoryStream(bytes), stdout, stderr, program)
                    .Run(new ConfigOnlyPlugin(), CancellationToken.None);
                var output = Encoding.UTF8.GetString(stdout.ToArray());
                if (exit != 0 && (exit != 1 || output.Contains("\"code\":999", StringComparison.Ordinal) || !output.Contains("\"code\":", StringComparison.Ordinal)))
                {
                    throw new FuzzPropertyException($"{command} as {program}: exit {exit}; stdout {output}; stderr {stderr}");
                }
            }
        }
    }

    /// <summary>CNI_ARGS as any bytes (UTF-8): a dictionary, or code 4 (strict: ADD/CHECK); lenient (DEL/GC) never fails.</summary>
    public static void CniArgs(ReadOnlySpan<byte> input)
    {
        var value = Encoding.UTF8.GetString(input);
        try
        {
            CniArgsParser.Parse(value, CniArgsStrictness.Strict, static _ => { });
        }
        catch (CniException e) when (e.Code == CniErrorCode.InvalidEnvironmentVariables)
        {
        }

        try
        {
            CniArgsParser.Parse(value, CniArgsStrictness.Lenient, static _ => { });
        }
        catch (Exception e)
        {
            throw new FuzzPropertyException("lenient CNI_ARGS parsing (DEL, GC) must never fail", e);
        }
    }

    /// <summary>
    /// The OVSDB framer and reply parser fed arbitrary server bytes (RFC 7047 §4), through a real connection: a
    /// transact, then list_dbs and get_schema on what is left of the stream. Property: results, or an OvsdbException.
    /// </summary>
    public static void OvsdbReply(ReadOnlySpan<byte> serverBytes)
    {
        using var connection = new OvsdbConnection(new FuzzTransport(serverBytes.ToArray()), OvsdbEndpoint.Unix("/fuzz/db.sock"), TimeSpan.FromSeconds(5));
        try
        {
            var txn = new Transaction(VswitchSchema.Database)
                .Add(new SelectOperation(VswitchSchema.Mirror, Where.Eq(VswitchSchema.Name, "m1"), [VswitchSchema.Uuid, VswitchSchema.Name]))
                .Add(new SelectOperation(VswitchSchema.Bridge, Where.All, [VswitchSchema.Mirrors]));
            var result = connection.Transact(txn);
            _ = result.FirstFailure;
            connection.ListDatabases();
            connection.GetSchema(VswitchSchema.Database);
        }
        catch (OvsdbException)
        {
        }
    }

    /// <summary>
    /// Attachment records as stored in Mirror:external_ids (OVS) and NB Mirror:external_ids (OVN). Property: a record
    /// or null, never an exception; a parsed record formats to a text that parses to the same record.
    /// </summary>
    public static void AttachmentRecords(ReadOnlySpan<byte> input)
    {
        var value = Encoding.UTF8.GetString(input);
        if (AttachmentRecord.TryParse(value) is { } record)
        {
            var text = record.Format();
            var again = AttachmentRecord.TryParse(text)?.Format();
            if (again != text)
            {
                throw new FuzzPropertyException($"record {value} formats to {text}, which parses back to {again ?? "null"}");
            }
        }

        if (OvnAttachmentRecord.TryParse(value) is { } ovn && OvnAttachmentRecord.TryParse(ovn.Format()) != ovn)
        {
            throw new FuzzPropertyException($"OVN record {value} does not survive Format/TryParse");
        }
    }
}
