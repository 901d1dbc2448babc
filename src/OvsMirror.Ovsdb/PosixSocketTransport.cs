using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace OvsMirror.Ovsdb;

/// <summary>
/// A unix or TCP stream socket driven by socket(2), connect(2), send(2), recv(2) and poll(2) directly, and
/// getaddrinfo(3) for a TCP host that is a name. Not the .NET Socket class: on Linux its first use probes the
/// IPv4/IPv6/unix stacks, and non-blocking use starts the socket engine's epoll thread (measured at 1.6–2.9 ms per
/// CNI call, more than the OVSDB round trips themselves); and with System.Net.NameResolution it puts 0.34 MB of
/// code in the image every CNI call starts (0.3 ms of its start-up, issue 14). The descriptor is non-blocking and
/// close-on-exec; every wait is a poll with the caller's deadline (a name lookup is the one call that is not).
/// </summary>
internal sealed unsafe partial class PosixSocketTransport : IOvsdbTransport
{
    private const int AfUnix = 1;
    private const int AfInet = 2;
    private const int AfInet6 = 10;
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
    private const int IpProtoTcp = 6;
    private const int TcpNodelay = 1;

    /// <summary>sizeof(struct sockaddr_un): a 2-byte family and a 108-byte path (unix(7)).</summary>
    private const int SockaddrUnSize = 110;

    /// <summary>sizeof(struct sockaddr_in6), the larger of the two inet addresses (ipv6(7)).</summary>
    private const int SockaddrIn6Size = 28;

    private int _fd;

    private PosixSocketTransport(int fd) => _fd = fd;

    /// <summary>connect(2) to the unix socket at <paramref name="path"/>.</summary>
    /// <exception cref="OvsdbConnectionException">The socket could not be reached.</exception>
    /// <exception cref="OvsdbTimeoutException">The connect did not finish within <paramref name="timeoutMs"/>.</exception>
    public static PosixSocketTransport ConnectUnix(string path, int timeoutMs)
    {
        var description = "unix:" + path;
        var address = stackalloc byte[SockaddrUnSize];
        new Span<byte>(address, SockaddrUnSize).Clear();
        *(ushort*)address = AfUnix;
        var pathBytes = Encoding.UTF8.GetBytes(path);
        if (pathBytes.Length >= SockaddrUnSize - 2)
        {
            throw new OvsdbConnectionException($"cannot connect to {description}: the path is too long for a unix socket");
        }

        pathBytes.CopyTo(new Span<byte>(address + 2, pathBytes.Length));
        return Connect(AfUnix, address, (uint)(2 + pathBytes.Length + 1), description, timeoutMs);
    }

    /// <summary>
    /// connect(2) to <c>tcp:HOST:PORT</c>, with TCP_NODELAY (each request is one small write). A host that is not an
    /// IP address is resolved with getaddrinfo(3), and its addresses are tried in the resolver's order until one
    /// connects (as Go's net.Dial does: "localhost" may come as ::1 first to a server that listens on 127.0.0.1 only),
    /// all within <paramref name="timeoutMs"/>; the name lookup itself is not bounded by it.
    /// </summary>
    /// <exception cref="OvsdbConnectionException">The host could not be resolved or reached.</exception>
    /// <exception cref="OvsdbTimeoutException">No connect finished within <paramref name="timeoutMs"/>.</exception>
    public static PosixSocketTransport ConnectTcp(OvsdbEndpoint endpoint, int timeoutMs)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var description = endpoint.ToString();
        List<IPAddress> candidates = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : Resolve(endpoint.Host, description);
        var deadline = Environment.TickCount64 + timeoutMs;
        OvsdbConnectionException? refused = null;
        foreach (var ip in candidates)
        {
            var left = (int)Math.Max(0, deadline - Environment.TickCount64);
            try
            {
                var transport = ConnectTcp(ip, endpoint.Port, description, left);
                int one = 1;
                _ = setsockopt(transport._fd, IpProtoTcp, TcpNodelay, &one, sizeof(int));
                return transport;
            }
            catch (OvsdbConnectionException e) when (candidates.Count > 1)
            {
                refused ??= e;
            }
        }

        throw refused ?? new OvsdbConnectionException($"cannot connect to {description}: no address");
    }

    private static PosixSocketTransport ConnectTcp(IPAddress ip, int port, string description, int timeoutMs)
    {
        var address = stackalloc byte[SockaddrIn6Size];
        new Span<byte>(address, SockaddrIn6Size).Clear();
        uint length;
        int family;
        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // struct sockaddr_in6: family, port (network order), flowinfo, 16-byte address, scope id (ipv6(7)).
            family = AfInet6;
            length = SockaddrIn6Size;
            *(ushort*)address = AfInet6;
            ip.TryWriteBytes(new Span<byte>(address + 8, 16), out _);
            *(uint*)(address + 24) = (uint)ip.ScopeId;
        }
        else
        {
            // struct sockaddr_in: family, port (network order), 4-byte address, padding (ip(7)).
            family = AfInet;
            length = 16;
            *(ushort*)address = AfInet;
            ip.TryWriteBytes(new Span<byte>(address + 4, 4), out _);
        }

        address[2] = (byte)(port >> 8);
        address[3] = (byte)port;
        return Connect(family, address, length, description, timeoutMs);
    }

    private static PosixSocketTransport Connect(int family, byte* address, uint length, string description, int timeoutMs)
    {
        var fd = socket(family, SockStream | SockNonblock | SockCloexec, 0);
        if (fd < 0)
        {
            throw Failure(description, Marshal.GetLastPInvokeError());
        }

        var transport = new PosixSocketTransport(fd);
        try
        {
            if (connect(fd, address, length) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is not (EInProgress or EAgain))
                {
                    throw Failure(description, errno);
                }

                // TCP's handshake, or a unix socket's full listen backlog (a stuck server): wait within the deadline.
                if (!transport.Wait(forWrite: true, timeoutMs))
                {
                    throw new OvsdbTimeoutException($"connect to {description} did not complete within {timeoutMs} ms");
                }

                int error = 0;
                uint size = sizeof(int);
                if (getsockopt(fd, SolSocket, SoError, &error, &size) != 0 || error != 0)
                {
                    throw Failure(description, error != 0 ? error : Marshal.GetLastPInvokeError());
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

    /// <summary>getaddrinfo(3) for a stream socket of either family: its IPv4 and IPv6 addresses, in the resolver's order.</summary>
    private static List<IPAddress> Resolve(string host, string description)
    {
        var hints = default(AddrInfo);
        hints.Socktype = SockStream;
        AddrInfo* found = null;
        var status = getaddrinfo(host, null, &hints, &found);
        if (status != 0)
        {
            var reason = Marshal.PtrToStringUTF8((nint)gai_strerror(status)) ?? $"getaddrinfo error {status}";
            throw new OvsdbConnectionException($"cannot connect to {description}: {host}: {reason}");
        }

        try
        {
            var addresses = new List<IPAddress>();
            for (var ai = found; ai is not null; ai = ai->Next)
            {
                if (ai->Family == AfInet && ai->Addrlen >= 8)
                {
                    addresses.Add(new IPAddress(new ReadOnlySpan<byte>(ai->Addr + 4, 4)));
                }
                else if (ai->Family == AfInet6 && ai->Addrlen >= SockaddrIn6Size)
                {
                    addresses.Add(new IPAddress(new ReadOnlySpan<byte>(ai->Addr + 8, 16), *(uint*)(ai->Addr + 24)));
                }
            }

            return addresses.Count > 0
                ? addresses
                : throw new OvsdbConnectionException($"cannot connect to {description}: {host} has no IPv4 or IPv6 address");
        }
        finally
        {
            freeaddrinfo(found);
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

    private static OvsdbConnectionException Failure(string description, int errno) => new(errno == 2
        ? $"cannot connect to {description}: no such socket file (is ovsdb-server running?)"
        : $"cannot connect to {description}: {Marshal.GetPInvokeErrorMessage(errno)}");

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>struct addrinfo of glibc on x86-64 (getaddrinfo(3)).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct AddrInfo
    {
        public int Flags;
        public int Family;
        public int Socktype;
        public int Protocol;
        public uint Addrlen;
        public byte* Addr;
        public byte* Canonname;
        public AddrInfo* Next;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int getaddrinfo(string node, string? service, AddrInfo* hints, AddrInfo** result);

    [LibraryImport("libc")]
    private static partial void freeaddrinfo(AddrInfo* result);

    [LibraryImport("libc")]
    private static partial byte* gai_strerror(int status);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsockopt(int fd, int level, int name, int* value, uint length);

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
