using System.Runtime.InteropServices;

namespace OvsMirror;

/// <summary>
/// A process's standard input, output or error as a <see cref="Stream"/> over read(2) and write(2), for CNI mode.
/// </summary>
/// <remarks>
/// Not <see cref="Console"/>'s streams: their first use sets up the terminal and signal handling, about 0.2 ms of
/// every CNI call (issue 14), for descriptors that kubelet's runtime connects to pipes. Not <see cref="FileStream"/>
/// either: on a regular file (a redirect such as <c>&gt; result.json</c>) it reads and writes with pread(2)/pwrite(2)
/// at its own offset, which leaves the descriptor's offset where it was, so the next writer overwrites the result.
/// read(2) and write(2) use and move the descriptor's offset, as a shell expects. EINTR is retried, a short write is
/// continued, and EAGAIN (a descriptor left non-blocking) waits in poll(2) as a blocking call would. SIGPIPE is
/// ignored by the .NET runtime, so a reader of stdout that went away is an <see cref="IOException"/>.
/// </remarks>
internal sealed partial class StandardStream : Stream
{
    private const int EIntr = 4;
    private const int EAgain = 11;
    private const short PollIn = 0x1;
    private const short PollOut = 0x4;

    private readonly int _fd;
    private readonly bool _write;
    private readonly bool _bestEffort;

    private StandardStream(int fd, bool write, bool bestEffort = false)
    {
        _fd = fd;
        _write = write;
        _bestEffort = bestEffort;
    }

    public static StandardStream Input() => new(0, write: false);

    public static StandardStream Output() => new(1, write: true);

    /// <summary>Standard error is the log: a write that fails is dropped, never the call's failure.</summary>
    public static StandardStream Error() => new(2, write: true, bestEffort: true);

    public override bool CanRead => !_write;

    public override bool CanSeek => false;

    public override bool CanWrite => _write;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override unsafe int Read(Span<byte> buffer)
    {
        if (_write)
        {
            throw new NotSupportedException();
        }

        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = read(_fd, p, (nuint)buffer.Length);
                if (n >= 0)
                {
                    return (int)n;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == EAgain)
                {
                    WaitUntilReady(PollIn);
                }
                else if (errno != EIntr)
                {
                    throw new IOException($"read fd {_fd}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        if (!_write)
        {
            throw new NotSupportedException();
        }

        fixed (byte* p = buffer)
        {
            var done = 0;
            while (done < buffer.Length)
            {
                var n = write(_fd, p + done, (nuint)(buffer.Length - done));
                if (n >= 0)
                {
                    done += (int)n;
                    continue;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == EIntr)
                {
                    continue;
                }

                if (errno == EAgain)
                {
                    // A descriptor the caller made non-blocking: wait as a blocking write would.
                    WaitUntilReady(PollOut);
                    continue;
                }

                if (_bestEffort)
                {
                    return;
                }

                throw new IOException($"write fd {_fd}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
    }

    public override void Flush()
    {
    }

    /// <summary>poll(2) without a deadline: what read(2) or write(2) on a blocking descriptor would wait for.</summary>
    private unsafe void WaitUntilReady(short events)
    {
        var fd = new PollFd { Fd = _fd, Events = events };
        while (poll(&fd, 1, -1) < 0 && Marshal.GetLastPInvokeError() == EIntr)
        {
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(int fd, byte* buffer, nuint count);
}
