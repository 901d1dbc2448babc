namespace OvsMirror.Ovsdb;

/// <summary>
/// Splits a byte stream into JSON texts. ovsdb-server writes JSON-RPC messages back to back with no
/// delimiter (RFC 7047 §4 uses JSON-RPC 1.0 over a stream), so a message ends where its outermost
/// object or array closes. Tracks strings and escapes; multi-byte UTF-8 never contains '"', '\\',
/// '{', '}', '[' or ']' bytes, so scanning bytes is exact.
/// </summary>
public sealed class JsonMessageFramer
{
    private readonly int _maxMessageBytes;
    private byte[] _buffer;
    private int _start;   // first byte of the message being scanned
    private int _scan;    // next byte to scan
    private int _end;     // end of the data appended so far
    private int _depth;
    private bool _inString;
    private bool _escape;

    public JsonMessageFramer(int maxMessageBytes = 64 * 1024 * 1024, int initialCapacity = 16 * 1024)
    {
        _maxMessageBytes = maxMessageBytes;
        _buffer = new byte[initialCapacity];
    }

    /// <summary>Bytes appended but not yet returned as a message.</summary>
    public int Pending => _end - _start;

    /// <summary>Room to receive into directly, at least <paramref name="minimum"/> bytes; call <see cref="Advance"/> after.</summary>
    public Memory<byte> GetWriteBuffer(int minimum = 4096)
    {
        Reserve(minimum);
        return _buffer.AsMemory(_end);
    }

    public void Advance(int count)
    {
        if (count < 0 || _end + count > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _end += count;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        Reserve(data.Length);
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>
    /// Returns the next complete JSON text, if one has arrived. The memory stays valid until the next
    /// call to any member of this framer.
    /// </summary>
    /// <exception cref="OvsdbProtocolException">The stream is not a sequence of JSON objects or arrays, or a message is too large.</exception>
    public bool TryReadMessage(out ReadOnlyMemory<byte> message)
    {
        var buffer = _buffer;
        while (_scan < _end)
        {
            var b = buffer[_scan++];
            if (_depth == 0)
            {
                // Between messages only whitespace may appear (RFC 8259 §2).
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    _start = _scan;
                    continue;
                }

                if (b is not ((byte)'{' or (byte)'['))
                {
                    throw new OvsdbProtocolException($"unexpected byte 0x{b:x2} between JSON-RPC messages");
                }

                _start = _scan - 1;
                _depth = 1;
                continue;
            }

            if (_inString)
            {
                if (_escape)
                {
                    _escape = false;
                }
                else if (b == (byte)'\\')
                {
                    _escape = true;
                }
                else if (b == (byte)'"')
                {
                    _inString = false;
                }

                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    _inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    break;
                case (byte)'}' or (byte)']':
                    if (--_depth == 0)
                    {
                        message = buffer.AsMemory(_start, _scan - _start);
                        _start = _scan;
                        return true;
                    }

                    break;
            }
        }

        if (_scan - _start > _maxMessageBytes)
        {
            throw new OvsdbProtocolException($"JSON-RPC message exceeds {_maxMessageBytes} bytes");
        }

        message = default;
        return false;
    }

    private void Reserve(int count)
    {
        if (_buffer.Length - _end >= count)
        {
            return;
        }

        // Drop what was already returned, then grow if that is not enough.
        var live = _end - _start;
        var target = _buffer;
        if (live + count > _buffer.Length)
        {
            target = new byte[Math.Max(_buffer.Length * 2, live + count)];
        }

        Buffer.BlockCopy(_buffer, _start, target, 0, live);
        _buffer = target;
        _scan -= _start;
        _end = live;
        _start = 0;
    }
}
