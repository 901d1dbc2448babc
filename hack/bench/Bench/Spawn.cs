using System.Runtime.InteropServices;
using System.Text;

namespace OvsMirror.Bench;

/// <summary>
/// Spawns a child the way a lean caller does: posix_spawnp(3) (glibc: clone(CLONE_VM|CLONE_VFORK) + exec, as
/// Go's os/exec in Multus and containerd does), three pipes, stdin written and closed, stdout and stderr read
/// to EOF in one poll(2) loop, the child reaped with waitpid(2).
/// <para>
/// Why not System.Diagnostics.Process: its own machinery (the SIGCHLD thread that reaps, the wait-state
/// objects, the StreamReaders) added about 0.3 ms to every call on this 2-core machine (`/bin/true`: 1.37 ms
/// p50 through Process, 1.08 ms through this, back-to-back runs of 100). A constant in every contender's
/// number pulls every ratio toward 1.
/// </para>
/// </summary>
internal sealed partial class Spawn : IDisposable
{
    private const int OCloexec = 0x80000;
    private const int ONonblock = 0x800;
    private const int FGetfl = 3;
    private const int FSetfl = 4;
    private const short PollIn = 0x1;
    private const short PollOut = 0x4;
    private const int Eintr = 4;
    private const int Eagain = 11;
    private const int Epipe = 32;
    private const int SigKill = 9;
    private const short PosixSpawnSetSigDef = 0x04;
    private const short PosixSpawnSetSigMask = 0x08;

    private readonly int pid;
    private int stdin;
    private int stdout;
    private int stderr;

    private Spawn(int pid, int stdin, int stdout, int stderr, long startTimestamp)
    {
        this.pid = pid;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        StartTimestamp = startTimestamp;
    }

    /// <summary>Stopwatch timestamp taken right before posix_spawnp.</summary>
    public long StartTimestamp { get; }

    /// <param name="environment">The child's whole environment, "K=V" each.</param>
    /// <param name="timingVariable">When set, "OVS_MIRROR_TIMING=&lt;timestamp right before the spawn&gt;" is added.</param>
    public static unsafe Spawn Start(string file, IReadOnlyList<string> args, IReadOnlyList<string> environment, bool timingVariable)
    {
        // Everything is marshalled before the clock starts, except the timing variable, which carries the clock.
        using var strings = new NativeStrings();
        var argv = strings.Array([file, .. args]);
        var envp = strings.Array(environment, spare: timingVariable ? 1 : 0);
        var path = strings.Add(file);
        var inPipe = Pipe();
        var outPipe = Pipe();
        var errPipe = Pipe();
        SetNonBlocking(inPipe.Write);
        SetNonBlocking(outPipe.Read);
        SetNonBlocking(errPipe.Read);

        var actions = stackalloc byte[256]; // posix_spawn_file_actions_t: 80 bytes on glibc x86_64/aarch64
        var attr = stackalloc byte[512]; // posix_spawnattr_t: 336 bytes
        var sigset = stackalloc byte[128];
        Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        Check(posix_spawnattr_init(attr), "posix_spawnattr_init");
        try
        {
            Check(posix_spawn_file_actions_adddup2(actions, inPipe.Read, 0), "adddup2 stdin");
            Check(posix_spawn_file_actions_adddup2(actions, outPipe.Write, 1), "adddup2 stdout");
            Check(posix_spawn_file_actions_adddup2(actions, errPipe.Write, 2), "adddup2 stderr");
            // The .NET runtime ignores SIGPIPE and its threads block signals: a child would inherit both.
            // Give it the defaults, as Go's os/exec does (kubelet, containerd and Multus are Go).
            Check(sigfillset(sigset), "sigfillset");
            Check(posix_spawnattr_setsigdefault(attr, sigset), "setsigdefault");
            Check(sigemptyset(sigset), "sigemptyset");
            Check(posix_spawnattr_setsigmask(attr, sigset), "setsigmask");
            Check(posix_spawnattr_setflags(attr, PosixSpawnSetSigDef | PosixSpawnSetSigMask), "setflags");

            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            if (timingVariable)
            {
                envp[environment.Count] = strings.Add("OVS_MIRROR_TIMING=" + start.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            int child;
            var rc = posix_spawnp(&child, path, actions, attr, argv, envp);
            if (rc != 0)
            {
                foreach (var fd in new[] { inPipe.Write, outPipe.Read, errPipe.Read })
                {
                    close(fd);
                }

                throw new BenchException($"posix_spawnp {file}: {Marshal.GetPInvokeErrorMessage(rc)}");
            }

            return new Spawn(child, inPipe.Write, outPipe.Read, errPipe.Read, start);
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
            posix_spawnattr_destroy(attr);
            close(inPipe.Read);
            close(outPipe.Write);
            close(errPipe.Write);
        }
    }

    /// <summary>Writes <paramref name="input"/> and closes stdin, reads stdout and stderr to EOF, reaps the child.
    /// Past <paramref name="timeout"/> the child gets SIGKILL (by its PID: only what this harness started).</summary>
    public unsafe CallResult Finish(string input, TimeSpan timeout)
    {
        var pending = Encoding.UTF8.GetBytes(input).AsMemory();
        if (pending.IsEmpty)
        {
            CloseStdin();
        }

        var outBytes = new MemoryStream();
        var errBytes = new MemoryStream();
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var killed = false;
        var buffer = new byte[16384];
        var fds = stackalloc PollFd[3];
        while (stdout >= 0 || stderr >= 0)
        {
            var n = 0;
            if (stdin >= 0)
            {
                fds[n++] = new PollFd { Fd = stdin, Events = PollOut };
            }

            if (stdout >= 0)
            {
                fds[n++] = new PollFd { Fd = stdout, Events = PollIn };
            }

            if (stderr >= 0)
            {
                fds[n++] = new PollFd { Fd = stderr, Events = PollIn };
            }

            var wait = killed ? -1 : (int)Math.Max(0, deadline - Environment.TickCount64);
            var ready = poll(fds, (nuint)n, wait);
            if (ready < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eintr)
                {
                    continue;
                }

                throw new BenchException($"poll: {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            if (ready == 0)
            {
                kill(pid, SigKill);
                killed = true;
                continue;
            }

            for (var i = 0; i < n; i++)
            {
                if (fds[i].Revents == 0)
                {
                    continue;
                }

                if (fds[i].Fd == stdin)
                {
                    pending = WriteSome(pending);
                }
                else
                {
                    Drain(fds[i].Fd == stdout ? outBytes : errBytes, fds[i].Fd, buffer);
                }
            }
        }

        CloseStdin();
        int status;
        while (waitpid(pid, &status, 0) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Eintr)
            {
                throw new BenchException($"waitpid {pid}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }

        var end = System.Diagnostics.Stopwatch.GetTimestamp();
        // wait(2) status: exited → the code; killed by a signal → 128 + signal (as System.Diagnostics.Process reports it)
        var exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
        var stderrText = Encoding.UTF8.GetString(errBytes.GetBuffer(), 0, (int)errBytes.Length);
        if (killed)
        {
            stderrText += $"\n(bench: killed after {timeout.TotalSeconds:0} s)";
        }

        return new CallResult(System.Diagnostics.Stopwatch.GetElapsedTime(StartTimestamp, end).TotalMilliseconds, exitCode,
            Encoding.UTF8.GetString(outBytes.GetBuffer(), 0, (int)outBytes.Length), stderrText);
    }

    public void Dispose()
    {
        CloseStdin();
        CloseFd(ref stdout);
        CloseFd(ref stderr);
    }

    private unsafe Memory<byte> WriteSome(Memory<byte> pending)
    {
        nint written;
        fixed (byte* p = pending.Span)
        {
            written = write(stdin, p, (nuint)pending.Length);
        }

        if (written < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Eintr or Eagain)
            {
                return pending;
            }

            // EPIPE: the child exited without reading stdin (/bin/true); its exit code tells the story
            if (errno != Epipe)
            {
                throw new BenchException($"write to the child's stdin: {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            written = pending.Length;
        }

        var rest = pending[(int)written..];
        if (rest.IsEmpty)
        {
            CloseStdin();
        }

        return rest;
    }

    private unsafe void Drain(MemoryStream sink, int fd, byte[] buffer)
    {
        nint got;
        fixed (byte* p = buffer)
        {
            got = read(fd, p, (nuint)buffer.Length);
        }

        if (got > 0)
        {
            sink.Write(buffer, 0, (int)got);
            return;
        }

        if (got < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Eintr or Eagain)
            {
                return;
            }

            throw new BenchException($"read from the child: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        if (fd == stdout)
        {
            CloseFd(ref stdout);
        }
        else
        {
            CloseFd(ref stderr);
        }
    }

    private void CloseStdin() => CloseFd(ref stdin);

    private static void CloseFd(ref int fd)
    {
        if (fd >= 0)
        {
            close(fd);
            fd = -1;
        }
    }

    private static unsafe (int Read, int Write) Pipe()
    {
        var fds = stackalloc int[2];
        if (pipe2(fds, OCloexec) != 0)
        {
            throw new BenchException($"pipe2: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        return (fds[0], fds[1]);
    }

    // Only the harness's own end: a pipe's two ends are separate open file descriptions, so the child's stays blocking.
    private static void SetNonBlocking(int fd)
    {
        var flags = fcntl(fd, FGetfl, 0);
        if (flags < 0 || fcntl(fd, FSetfl, flags | ONonblock) < 0)
        {
            throw new BenchException($"fcntl O_NONBLOCK: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0)
        {
            throw new BenchException($"{what}: {Marshal.GetPInvokeErrorMessage(rc < 0 ? Marshal.GetLastPInvokeError() : rc)}");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int pipe2(int* fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int sigfillset(byte* set);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int sigemptyset(byte* set);

    // posix_spawn*(3) return the error number; they do not set errno.
    [LibraryImport("libc")]
    private static unsafe partial int posix_spawnp(int* pid, byte* file, byte* actions, byte* attr, byte** argv, byte** envp);

    [LibraryImport("libc")]
    private static unsafe partial int posix_spawn_file_actions_init(byte* actions);

    // The two destroys cannot fail on glibc (they free and return 0): declared void.
    [LibraryImport("libc")]
    private static unsafe partial void posix_spawn_file_actions_destroy(byte* actions);

    [LibraryImport("libc")]
    private static unsafe partial int posix_spawn_file_actions_adddup2(byte* actions, int fd, int newFd);

    [LibraryImport("libc")]
    private static unsafe partial int posix_spawnattr_init(byte* attr);

    [LibraryImport("libc")]
    private static unsafe partial void posix_spawnattr_destroy(byte* attr);

    [LibraryImport("libc")]
    private static unsafe partial int posix_spawnattr_setflags(byte* attr, short flags);

    [LibraryImport("libc")]
    private static unsafe partial int posix_spawnattr_setsigdefault(byte* attr, byte* set);

    [LibraryImport("libc")]
    private static unsafe partial int posix_spawnattr_setsigmask(byte* attr, byte* set);
}
