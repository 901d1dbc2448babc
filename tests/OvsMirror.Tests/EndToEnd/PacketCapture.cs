using OvsMirror.Testing;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// tcpdump on one interface of a pod, written to a pcap file (<c>-U --immediate-mode</c>: each frame is in
/// the file as soon as it is received). <see cref="StartAsync"/> returns once tcpdump reports it is listening,
/// so no frame sent afterwards is missed. The file can be read while the capture runs.
/// </summary>
internal sealed class PacketCapture : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private readonly NetnsProcess tcpdump;

    private PacketCapture(Pod pod, string interfaceName, string file, NetnsProcess tcpdump)
    {
        Pod = pod;
        InterfaceName = interfaceName;
        File = file;
        this.tcpdump = tcpdump;
    }

    public Pod Pod { get; }

    public string InterfaceName { get; }

    public string File { get; }

    public string Name => $"{Pod.Name}/{InterfaceName}";

    public static async Task<PacketCapture> StartAsync(Pod pod, string interfaceName, string file)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var tcpdump = NetnsProcess.Start(
            pod.Netns,
            [OvsTools.Require("tcpdump"), "-i", interfaceName, "-nn", "-U", "--immediate-mode", "-s", "0", "-w", file]);
        try
        {
            // printed after the capture socket is bound and active
            await tcpdump.WaitForStandardErrorAsync("listening on", ReadyTimeout).ConfigureAwait(false);
        }
        catch
        {
            await tcpdump.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new PacketCapture(pod, interfaceName, file, tcpdump);
    }

    /// <summary>The frames captured so far.</summary>
    public IReadOnlyList<CapturedPacket> Packets => PcapFile.Read(File);

    /// <summary>The IPv4 frames captured so far (mirrors also carry ARP and the pods' IPv6 RS/NS/MLD).</summary>
    public IReadOnlyList<CapturedPacket> IPv4Packets => [.. Packets.Where(p => p.IsIPv4)];

    /// <summary>Polls the file until <paramref name="done"/> holds or <paramref name="timeout"/> passes; returns the frames either way.</summary>
    public async Task<IReadOnlyList<CapturedPacket>> WaitUntilAsync(Func<IReadOnlyList<CapturedPacket>, bool> done, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var packets = Packets;
            if (done(packets) || DateTime.UtcNow >= deadline)
            {
                return packets;
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>Stops tcpdump (SIGINT: it flushes the file) and returns every frame captured.</summary>
    public async Task<IReadOnlyList<CapturedPacket>> StopAsync()
    {
        await tcpdump.StopAsync().ConfigureAwait(false);
        return Packets;
    }

    /// <summary><c>tcpdump -r -e -nn</c> of the first <paramref name="max"/> frames, for messages and logs.</summary>
    public async Task<string> DecodeAsync(int max = 40)
    {
        var r = await ProcessRunner.RunAsync(
            OvsTools.Require("tcpdump"), ["-r", File, "-nn", "-e", "-c", max.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return r.StandardOutput;
    }

    public ValueTask DisposeAsync() => tcpdump.DisposeAsync();
}
