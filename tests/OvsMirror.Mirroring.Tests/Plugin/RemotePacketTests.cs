using System.Globalization;
using System.Text.Json.Nodes;
using OvsMirror.Testing;
using Xunit.Abstractions;

namespace OvsMirror.Mirroring.Tests.Plugin;

/// <summary>
/// Packets prove it (DESIGN §6): a producer's ICMP and TCP arrive, encapsulated, at a collector netns across an
/// underlay bridge (reference/ovs-test-rig.md §2 and pitfalls 3-4: the underlay bridge owns the local IP, the
/// collector's MAC is pre-seeded with tnl/neigh/set, MTU 9000). This kernel has no ip_gre, so the collector captures
/// the encapsulated packets (tcpdump "ip proto 47") and the test decodes the GRE/ERSPAN headers itself.
/// </summary>
public sealed class RemotePacketTests(ITestOutputHelper output)
{
    public static TheoryData<string, JsonObject> Remotes => new()
    {
        { "gre", new JsonObject { ["type"] = "gre", ["remoteIp"] = "172.31.1.2", ["key"] = 99 } },
        { "erspan1", new JsonObject { ["type"] = "erspan", ["remoteIp"] = "172.31.1.2", ["key"] = 99, ["erspanVersion"] = 1, ["erspanIndex"] = 26 } },
        { "erspan2", new JsonObject { ["type"] = "erspan", ["remoteIp"] = "172.31.1.2", ["key"] = 99, ["erspanVersion"] = 2, ["erspanDir"] = 1, ["erspanHwid"] = 12 } },
    };

    [OvsTheory]
    [MemberData(nameof(Remotes))]
    public async Task ProducerTraffic_ArrivesEncapsulatedAtTheCollector_WithTheConfiguredHeaderFields(string kind, JsonObject remote)
    {
        await using var sandbox = await OvsSandbox.StartAsync(withVswitchd: true);
        var plugin = new PluginHarness(sandbox);
        await sandbox.AddBridgeAsync("br1");
        var prod = await sandbox.AddHostAsync("prod", "br1", "10.99.0.1/24");
        var peer = await sandbox.AddHostAsync("peer", "br1", "10.99.0.2/24");

        // The underlay: br-phy owns 172.31.1.1, the collector is 172.31.1.2 behind it.
        await sandbox.AddBridgeAsync("brphy");
        (await sandbox.ExecInNetnsAsync(sandbox.VswitchdNetns, ["ip", "addr", "add", "172.31.1.1/24", "dev", "brphy"])).EnsureSuccess();
        var coll = await sandbox.AddHostAsync("coll", "brphy", "172.31.1.2/24");
        await sandbox.VsctlAsync("set", "interface", "coll", "mtu_request=9000");
        (await sandbox.ExecInNetnsAsync(coll, ["ip", "link", "set", "eth0", "mtu", "9000"])).EnsureSuccess();
        var mac = (await sandbox.ExecInNetnsAsync(coll, ["cat", "/sys/class/net/eth0/address"])).EnsureSuccess().StandardOutput.Trim();
        await sandbox.AppctlAsync("tnl/neigh/set", "brphy", "172.31.1.2", mac);

        plugin.Add("br1", "prod", RemoteTests.Producer(remote), "p1").ShouldSucceed();

        // Conditions, not settle times: tcpdump says when it listens, the listener is seen in ss, and the capture
        // ends once the copies of all 3 echoes and replies and of the TCP exchange are there (bounded).
        await using var tcpdump = NetnsProcess.Start(coll, ["tcpdump", "-nn", "-x", "-l", "-U", "-i", "eth0", "ip proto 47"]);
        await tcpdump.WaitForStandardErrorAsync("listening on", TimeSpan.FromSeconds(30));
        await using var listener = NetnsProcess.Start(peer, ["nc", "-l", "-p", "5000"]);
        await WaitUntilAsync(async () => (await sandbox.ExecInNetnsAsync(peer, ["ss", "-Hltn", "sport = :5000"])).StandardOutput.Length > 0,
            "nc listening on 10.99.0.2:5000");
        (await sandbox.ExecInNetnsAsync(prod, ["ping", "-c", "3", "-i", "0.2", "-W", "5", "10.99.0.2"])).EnsureSuccess();
        (await sandbox.ExecInNetnsAsync(prod, ["sh", "-c", "echo mirrored | nc -N -w 5 10.99.0.2 5000"])).EnsureSuccess();
        (await listener.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("nc -l exits once the client has closed");
        await WaitUntilAsync(() =>
        {
            var seen = TryParse(tcpdump.StandardOutput);
            return Task.FromResult(seen.Count(p => p.InnerIpProtocol == 1) >= 6 && seen.Any(p => p.InnerIpProtocol == 6 && p.TcpFin));
        }, "the collector's capture holding the 6 ICMP copies and the TCP FIN");
        await tcpdump.StopAsync();
        var captured = tcpdump.StandardOutput;

        var packets = CapturedPacket.ParseTcpdumpHex(captured);
        var icmp = packets.Where(p => p.InnerIpProtocol == 1).ToList();
        var tcp = packets.Where(p => p.InnerIpProtocol == 6).ToList();
        output.WriteLine($"{kind}: {packets.Count} encapsulated packets, {icmp.Count} ICMP, {tcp.Count} TCP; first: {packets.FirstOrDefault()}");

        icmp.Should().HaveCount(6, "3 echo requests (select_src_port) and 3 replies (select_dst_port)");
        tcp.Should().NotBeEmpty("the TCP connection's segments are mirrored too");
        foreach (var packet in packets)
        {
            packet.OuterSource.Should().Be("172.31.1.1");
            packet.OuterDestination.Should().Be("172.31.1.2");
            switch (kind)
            {
                case "gre":
                    packet.GreProtocol.Should().Be(0x6558, "transparent Ethernet bridging");
                    packet.GreKey.Should().Be(99);
                    break;
                case "erspan1":
                    packet.GreProtocol.Should().Be(0x88BE, "ERSPAN type II");
                    packet.ErspanVersion.Should().Be(1);
                    packet.ErspanSession.Should().Be(99);
                    packet.ErspanIndex.Should().Be(26);
                    break;
                default:
                    packet.GreProtocol.Should().Be(0x22EB, "ERSPAN type III");
                    packet.ErspanVersion.Should().Be(2);
                    packet.ErspanSession.Should().Be(99);
                    packet.ErspanDirection.Should().Be(1);
                    packet.ErspanHwid.Should().Be(12);
                    break;
            }
        }

        plugin.Del("br1", "p1").ShouldSucceed();
        (await sandbox.VsctlAsync("list-ports", "br1")).Trim().Should().Be("prod\npeer".Split('\n').Order().Aggregate((a, b) => a + "\n" + b));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            cts.IsCancellationRequested.Should().BeFalse($"waited 30 s for {what}");
            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>The packets of a capture still being written, up to its last complete line; [] while one is cut off.</summary>
    private static List<CapturedPacket> TryParse(string tcpdumpOutput)
    {
        var end = tcpdumpOutput.LastIndexOf('\n');
        try
        {
            return end > 0 ? CapturedPacket.ParseTcpdumpHex(tcpdumpOutput[..end]) : [];
        }
#pragma warning disable CA1031 // a packet cut off mid-line decodes to anything; the next poll reads it whole
        catch (Exception)
#pragma warning restore CA1031
        {
            return [];
        }
    }
}

/// <summary>Helpers shared by the remote tests.</summary>
internal static class RemoteTests
{
    public static JsonArray Producer(JsonObject remote) => RemoteMirrorTests.RemoteProducer(remote);
}

/// <summary>One GRE packet as tcpdump -x printed it (the IP packet in hex), decoded far enough to check the headers.</summary>
internal sealed class CapturedPacket
{
    private CapturedPacket(byte[] ip)
    {
        var ihl = (ip[0] & 0x0f) * 4;
        OuterSource = string.Join('.', ip[12..16]);
        OuterDestination = string.Join('.', ip[16..20]);
        var gre = ip.AsSpan(ihl);
        var flags = (gre[0] << 8) | gre[1];
        GreProtocol = (gre[2] << 8) | gre[3];
        var at = 4;
        if ((flags & 0x8000) != 0)
        {
            at += 4; // checksum
        }

        if ((flags & 0x2000) != 0)
        {
            GreKey = ((long)gre[at] << 24) | ((long)gre[at + 1] << 16) | ((long)gre[at + 2] << 8) | gre[at + 3];
            at += 4;
        }

        if ((flags & 0x1000) != 0)
        {
            at += 4; // sequence number
        }

        if (GreProtocol is 0x88BE or 0x22EB)
        {
            var e = gre[at..];
            ErspanVersion = e[0] >> 4;
            ErspanSession = ((e[2] & 0x03) << 8) | e[3];
            if (GreProtocol == 0x88BE)
            {
                ErspanIndex = ((e[5] & 0x0f) << 16) | (e[6] << 8) | e[7];
                at += 8;
            }
            else
            {
                var word = (e[10] << 8) | e[11];
                ErspanHwid = (word >> 4) & 0x3f;
                ErspanDirection = (word >> 3) & 1;
                at += 12 + ((word & 1) != 0 ? 8 : 0);
            }
        }

        var inner = gre[at..];
        if (inner.Length >= 14 + 20 && inner[12] == 0x08 && inner[13] == 0x00)
        {
            InnerIpProtocol = inner[14 + 9];
            var tcpFlags = 14 + ((inner[14] & 0x0f) * 4) + 13;
            TcpFin = InnerIpProtocol == 6 && inner.Length > tcpFlags && (inner[tcpFlags] & 0x01) != 0;
        }
    }

    public string OuterSource { get; }

    public string OuterDestination { get; }

    public int GreProtocol { get; }

    public long? GreKey { get; }

    public int? ErspanVersion { get; }

    public int? ErspanSession { get; }

    public int? ErspanIndex { get; }

    public int? ErspanDirection { get; }

    public int? ErspanHwid { get; }

    public int? InnerIpProtocol { get; }

    /// <summary>The inner packet is a TCP segment with FIN set.</summary>
    public bool TcpFin { get; }

    public override string ToString() =>
        $"GRE proto 0x{GreProtocol:x4} key {GreKey} ERSPAN v{ErspanVersion} session {ErspanSession} index {ErspanIndex} dir {ErspanDirection} hwid {ErspanHwid} inner proto {InnerIpProtocol}";

    /// <summary>tcpdump -x prints, after each packet's line, "\t0x0000:  4500 0054 ..." lines of the IP packet.</summary>
    public static List<CapturedPacket> ParseTcpdumpHex(string text)
    {
        var packets = new List<CapturedPacket>();
        var bytes = new List<byte>();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("0x", StringComparison.Ordinal) && trimmed.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
            {
                foreach (var group in trimmed[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    for (var i = 0; i + 1 < group.Length; i += 2)
                    {
                        bytes.Add(byte.Parse(group.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    }
                }
            }
            else if (trimmed.Length > 0)
            {
                Flush();
            }
        }

        Flush();
        return packets;

        void Flush()
        {
            if (bytes.Count >= 24)
            {
                packets.Add(new CapturedPacket([.. bytes]));
            }

            bytes.Clear();
        }
    }
}
