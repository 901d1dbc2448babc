namespace OvsMirror.Ovsdb;

/// <summary>
/// A connected byte stream to an OVSDB server, separated from the JSON-RPC protocol on top of it.
/// Every wait is bounded: callers poll for readiness with a timeout, then send or receive without blocking.
/// </summary>
internal interface IOvsdbTransport : IDisposable
{
    /// <summary>Sends some of <paramref name="data"/>; returns how many bytes went (0 when the send buffer is full).</summary>
    int Send(ReadOnlySpan<byte> data);

    /// <summary>Receives into <paramref name="buffer"/>; returns 0 at end of stream, -1 when nothing is there yet.</summary>
    int Receive(Span<byte> buffer);

    /// <summary>poll(2): true when the stream is readable (or writable), false when <paramref name="timeoutMs"/> passed.</summary>
    bool Wait(bool forWrite, int timeoutMs);
}
