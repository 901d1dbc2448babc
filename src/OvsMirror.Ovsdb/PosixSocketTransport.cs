using System.Runtime.InteropServices;
using System.Text;

namespace OvsMirror.Ovsdb;

/// <summary>
/// A unix stream socket driven by socket(2), connect(2), send(2), recv(2) and poll(2) directly. The .NET
/// Socket class would be simpler, but on Linux its first use probes the IPv4/IPv6/unix stacks, and
/// non-blocking use starts the socket engine's epoll thread: measured at 1.6–2.9 ms per CNI call, more than
/// the OVSDB round trips themselves. The descriptor is non-blocking and close-on-exec; every wait is a poll
/// with the caller's deadline.
/// </summary>
internal sealed unsafe partial class UnixSocketTransport : IOvsdbTransport
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockNonblock = 0x800;
    private const int SockCloexec = 0x80000;
    private const int MsgNosignal = 0x4000;
    private const short PollIn = 0x1;
    private const short PollOut = 0x4;
    private const int EIntr = 4;
    private const int EAgain = 11;
    private const int EInProgress = 115;
    private const int SolSocket = 1;
    private const int SoError = 4;

    /// <summary>sizeof(struct sockaddr_un): a 2-byte family and a 108-byte path (unix(7)).</summary>
    private const int SockaddrUnSize = 110;

    private int _fd;

    private UnixSocketTransport(int fd) => _fd = fd;

    /// <exception cref="OvsdbConnectionException">The socket could not be reached.</exception>
    /// <exception cref="OvsdbTimeoutException">The connect did not finish within <paramref name="timeoutMs"/>.</exception>
    public static UnixSocketTransport Connect(string path, int timeoutMs)
    {
        var address = stackalloc byte[SockaddrUnSize];
        new Span<byte>(address, SockaddrUnSize).Clear();
        *(ushort*)address = AfUnix;
        var pathBytes = Encoding.UTF8.GetBytes(path);
        if (pathBytes.Length >= SockaddrUnSize - 2)
        {
            throw new OvsdbConnectionException($"cannot connect to unix:{path}: the path is too long for a unix socket");
        }

        pathBytes.CopyTo(new Span<byte>(address + 2, pathBytes.Length));
        var fd = socket(AfUnix, SockStream | SockNonblock | SockCloexec, 0);
        if (fd < 0)
        {
            throw Failure(path, Marshal.GetLastPInvokeError());
        }

        var transport = new UnixSocketTransport(fd);
        try
        {
            if (connect(fd, address, (uint)(2 + pathBytes.Length + 1)) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is not (EInProgress or EAgain))
                {
                    throw Failure(path, errno);
                }

                // A full listen backlog (a stuck server): wait for the connect within the deadline.
                if (!transport.Wait(forWrite: true, timeoutMs))
                {
                    throw new OvsdbTimeoutException($"connect to unix:{path} did not complete within {timeoutMs} ms");
                }

                int error = 0;
                uint size = sizeof(int);
                if (getsockopt(fd, SolSocket, SoError, &error, &size) != 0 || error != 0)
                {
                    throw Failure(path, error != 0 ? error : Marshal.GetLastPInvokeError());
                }
            }

            return transport;
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }

    public int Send(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                var sent = send(_fd, p, (nuint)data.Length, MsgNosignal);
                if (sent >= 0)
                {
                    return (int)sent;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == EIntr)
                {
                    continue;
                }

                if (errno == EAgain)
                {
                    return 0;
                }

                throw new IOException($"send: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
    }

    public int Receive(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var received = recv(_fd, p, (nuint)buffer.Length, 0);
                if (received >= 0)
                {
                    return (int)received;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == EIntr)
                {
                    continue;
                }

                if (errno == EAgain)
                {
                    return -1;
                }

                throw new IOException($"recv: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
    }

    public bool Wait(bool forWrite, int timeoutMs)
    {
        var fd = new PollFd { Fd = _fd, Events = forWrite ? PollOut : PollIn };
        while (true)
        {
            var ready = poll(&fd, 1, Math.Max(0, timeoutMs));
            if (ready >= 0)
            {
                // POLLERR/POLLHUP count as ready: the next send or recv reports what happened.
                return ready > 0;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != EIntr)
            {
                throw new IOException($"poll: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = close(fd);
        }
    }

    private static OvsdbConnectionException Failure(string path, int errno) => new(errno == 2
        ? $"cannot connect to unix:{path}: no such socket file (is ovsdb-server running?)"
        : $"cannot connect to unix:{path}: {Marshal.GetPInvokeErrorMessage(errno)}");

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int connect(int fd, byte* address, uint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getsockopt(int fd, int level, int name, int* value, uint* length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
