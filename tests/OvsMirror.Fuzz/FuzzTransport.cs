using OvsMirror.Ovsdb;

namespace OvsMirror.Fuzz;

/// <summary>
/// A transport whose "server" sends the fuzz input, in chunks of varying size (the framer must join and split them
/// anywhere), then hangs up. Whatever the client sends is swallowed.
/// </summary>
internal sealed class FuzzTransport(byte[] serverBytes) : IOvsdbTransport
{
    private int offset;
    private int chunk = 1;

    public int Send(ReadOnlySpan<byte> data) => data.Length;

    public int Receive(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(buffer.Length, serverBytes.Length - offset), chunk);
        serverBytes.AsSpan(offset, n).CopyTo(buffer);
        offset += n;
        chunk = chunk * 7 % 61 + 1; // 1..61 bytes: messages arrive split at many different offsets
        return n;
    }

    public bool Wait(bool forWrite, int timeoutMs) => true;

    public void Dispose()
    {
    }
}
