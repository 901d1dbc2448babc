using System.Buffers.Binary;
using System.Globalization;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>
/// Reads a classic pcap file (what <c>tcpdump -w</c> writes) of link type Ethernet. A file that is still
/// being written is read up to its last complete record, so a capture can be polled while it runs.
/// </summary>
internal static class PcapFile
{
    private const uint MagicMicroseconds = 0xa1b2c3d4;
    private const uint MagicNanoseconds = 0xa1b23c4d;
    private const int GlobalHeaderLength = 24;
    private const int RecordHeaderLength = 16;
    private const int LinkTypeEthernet = 1;

    public static IReadOnlyList<CapturedPacket> Read(string path)
    {
        byte[] data;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            data = memory.ToArray();
        }
        catch (FileNotFoundException)
        {
            return [];
        }

        return Parse(data);
    }

    public static IReadOnlyList<CapturedPacket> Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < GlobalHeaderLength)
        {
            return [];
        }

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(data);
        bool bigEndian;
        bool nanoseconds;
        if (magic is MagicMicroseconds or MagicNanoseconds)
        {
            bigEndian = false;
            nanoseconds = magic == MagicNanoseconds;
        }
        else
        {
            magic = BinaryPrimitives.ReadUInt32BigEndian(data);
            if (magic is not (MagicMicroseconds or MagicNanoseconds))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"not a pcap file (magic 0x{magic:x8})"));
            }

            bigEndian = true;
            nanoseconds = magic == MagicNanoseconds;
        }

        uint linkType = ReadUInt32(data[20..], bigEndian);
        if (linkType != LinkTypeEthernet)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"pcap link type {linkType}, expected Ethernet (1)"));
        }

        var packets = new List<CapturedPacket>();
        int offset = GlobalHeaderLength;
        while (offset + RecordHeaderLength <= data.Length)
        {
            var header = data.Slice(offset, RecordHeaderLength);
            long seconds = ReadUInt32(header, bigEndian);
            long fraction = ReadUInt32(header[4..], bigEndian);
            int captured = (int)ReadUInt32(header[8..], bigEndian);
            int wire = (int)ReadUInt32(header[12..], bigEndian);
            if (offset + RecordHeaderLength + captured > data.Length)
            {
                break; // the record is still being written
            }

            long ticks = seconds * TimeSpan.TicksPerSecond + (nanoseconds ? fraction / 100 : fraction * 10);
            var time = new DateTimeOffset(DateTime.UnixEpoch.Ticks + ticks, TimeSpan.Zero);
            packets.Add(Decode(time, data.Slice(offset + RecordHeaderLength, captured), wire));
            offset += RecordHeaderLength + captured;
        }

        return packets;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> b, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private static CapturedPacket Decode(DateTimeOffset time, ReadOnlySpan<byte> frame, int wireLength)
    {
        var vlans = new List<int>();
        int etherType = 0;
        int offset = 12;
        if (frame.Length >= 14)
        {
            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
            offset += 2;
            while (etherType is 0x8100 or 0x88a8 && frame.Length >= offset + 4)
            {
                vlans.Add(BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]) & 0x0fff);
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
                offset += 4;
            }
        }

        if (etherType != 0x0800 || frame.Length < offset + 20)
        {
            return new CapturedPacket(time, frame.Length, wireLength, vlans, etherType, null, null, null, null, null, null, null, null, null, null);
        }

        var ip = frame[offset..];
        int ihl = (ip[0] & 0x0f) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        int protocol = ip[9];
        string source = $"{ip[12]}.{ip[13]}.{ip[14]}.{ip[15]}";
        string destination = $"{ip[16]}.{ip[17]}.{ip[18]}.{ip[19]}";
        int? icmpType = null, icmpId = null, icmpSeq = null, sport = null, dport = null, flags = null;
        if (ip.Length >= ihl + 8 && protocol == 1)
        {
            var icmp = ip[ihl..];
            icmpType = icmp[0];
            icmpId = BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]);
            icmpSeq = BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]);
        }
        else if (ip.Length >= ihl + 14 && protocol == 6)
        {
            var tcp = ip[ihl..];
            sport = BinaryPrimitives.ReadUInt16BigEndian(tcp);
            dport = BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]);
            flags = tcp[13];
        }

        return new CapturedPacket(
            time, frame.Length, wireLength, vlans, etherType, source, destination, protocol, totalLength,
            icmpType, icmpId, icmpSeq, sport, dport, flags);
    }
}
