using OvsMirror.Ovsdb;

namespace OvsMirror.Ovsdb.Tests;

/// <summary>A transport whose server sends exactly these bytes, then hangs up; what the client sends is swallowed.</summary>
internal sealed class CannedReplyTransport(byte[] serverBytes) : IOvsdbTransport
{
    private int offset;

    public static OvsdbConnection Connection(byte[] serverBytes) =>
        new(new CannedReplyTransport(serverBytes), OvsdbEndpoint.Unix("/canned/db.sock"), TimeSpan.FromSeconds(5));

    public int Send(ReadOnlySpan<byte> data) => data.Length;

    public int Receive(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, serverBytes.Length - offset);
        serverBytes.AsSpan(offset, n).CopyTo(buffer);
        offset += n;
        return n;
    }

    public bool Wait(bool forWrite, int timeoutMs) => true;

    public void Dispose()
    {
    }
}
