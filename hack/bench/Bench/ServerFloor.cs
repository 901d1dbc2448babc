using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace OvsMirror.Bench;

/// <summary>
/// The part of a call's growth that is ovsdb-server's own: the operations every ADD or DEL must have answered, sent by
/// the harness itself (no plugin), each on a fresh connection right after a process start (the bare hello), as between
/// two CNI calls. What grows here with the database grows for any client, the plugin included.
/// </summary>
internal static class ServerFloor
{
    public const string PortByName = "server: select Port by name";
    public const string MirrorByName = "server: select Mirror by name";
    public const string Membership = "server: mutate select_src_port, insert then delete";
    public const string Record = "server: mutate external_ids, insert then delete a record";

    public static readonly string[] Operations = [PortByName, MirrorByName, Membership, Record];

    /// <summary>The steps for one sweep point: <paramref name="port"/> (on br1, not on <paramref name="mirror"/>) is the one changed.</summary>
    public static IReadOnlyList<Step> Steps(Tools tools, Sandbox sandbox, Func<string, string> name, string mirror, string port)
    {
        var portUuid = new Lazy<string>(() => FindPortUuid(sandbox.DbSock, port));
        return
        [
            Step(tools, name(PortByName), sandbox, () => [Select("Port", port)]),
            Step(tools, name(MirrorByName), sandbox, () => [Select("Mirror", "bm")]),
            Step(tools, name(Membership), sandbox,
                () => [Mutate(mirror, "select_src_port", "insert", $"""["uuid","{portUuid.Value}"]"""),
                       Mutate(mirror, "select_src_port", "delete", $"""["uuid","{portUuid.Value}"]""")]),
            Step(tools, name(Record), sandbox,
                () => [Mutate(mirror, "external_ids", "insert", $"""["map",[["ovs-mirror/a/floor/eth1","v1;role=producer;net=bench-net;uuid={portUuid.Value};sel=src;port={port}"]]]"""),
                       Mutate(mirror, "external_ids", "delete", "\"ovs-mirror/a/floor/eth1\"")]),
        ];
    }

    private static Step Step(Tools tools, string name, Sandbox sandbox, Func<string[]> transactions) => new(name, () =>
    {
        Proc.RunChecked(Command.Of(tools.Hello));
        var requests = transactions();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var start = Stopwatch.GetTimestamp();
        socket.Connect(new UnixDomainSocketEndPoint(sandbox.DbSock));
        foreach (var request in requests)
        {
            Transact(socket, request);
        }

        return new CallResult(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 0, "", "");
    });

    private static string Select(string table, string name) =>
        $$"""["Open_vSwitch",{"op":"select","table":"{{table}}","where":[["name","==","{{name}}"]],"columns":["_uuid"]}]""";

    private static string Mutate(string mirror, string column, string mutator, string value) =>
        $$"""["Open_vSwitch",{"op":"mutate","table":"Mirror","where":[["_uuid","==",["uuid","{{mirror}}"]]],"mutations":[["{{column}}","{{mutator}}",{{value}}]]}]""";

    private static string FindPortUuid(string dbSock, string port)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(dbSock));
        using var reply = Transact(socket, Select("Port", port));
        return reply.RootElement.GetProperty("result")[0].GetProperty("rows")[0].GetProperty("_uuid")[1].GetString()
            ?? throw new BenchException($"no port {port}");
    }

    /// <summary>One JSON-RPC "transact" (RFC 7047 §4.1.3), its reply read to the end; an error in it is an exception.</summary>
    private static JsonDocument Transact(Socket socket, string paramsJson)
    {
        socket.Send(Encoding.UTF8.GetBytes($$"""{"method":"transact","params":{{paramsJson}},"id":1}"""));
        var buffer = new byte[1 << 16];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var n = socket.Receive(buffer.AsSpan(length));
            if (n == 0)
            {
                throw new BenchException("ovsdb-server closed the connection");
            }

            length += n;
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length), isFinalBlock: false, default);
            if (!reader.Read() || !reader.TrySkip())
            {
                continue;
            }

            var reply = JsonDocument.Parse(buffer.AsMemory(0, length));
            var failed = reply.RootElement.GetProperty("error").ValueKind != JsonValueKind.Null
                || reply.RootElement.GetProperty("result").EnumerateArray().Any(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("error", out _));
            if (failed)
            {
                throw new BenchException($"ovsdb-server refused {paramsJson}: {reply.RootElement.GetRawText()}");
            }

            return reply;
        }
    }
}
