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
    // Linux x86-64 / aarch64 values: <fcntl.h>, <poll.h>, <errno.h>, <signal.h>, <spawn.h>, <sys/syscall.h>.
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
    private const long SysPidfdOpen = 434; // the same number on every architecture (asm-generic)

    /// <summary>After the SIGKILL of a call past its deadline: how long its pipes may stay open (a grandchild may hold them).</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);

    private readonly int pid;
    private int pidfd;
    private int stdin;
    private int stdout;
    private int stderr;
    private bool reaped;
    private int reapedStatus;

    private Spawn(int pid, int pidfd, int stdin, int stdout, int stderr, long startTimestamp)
    {
        this.pid = pid;
        this.pidfd = pidfd;
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
        var childEnds = new List<int>(3);
        var ownEnds = new List<int>(3);
        var actions = stackalloc byte[256]; // posix_spawn_file_actions_t: 80 bytes on glibc x86_64/aarch64
        var attr = stackalloc byte[512]; // posix_spawnattr_t: 336 bytes
        var sigset = stackalloc byte[128]; // sigset_t: 128 bytes
        var actionsReady = false;
        var attrReady = false;
        try
        {
            var (inRead, inWrite) = Pipe(childEnds, ownEnds, childReads: true);
            var (outRead, outWrite) = Pipe(childEnds, ownEnds, childReads: false);
            var (errRead, errWrite) = Pipe(childEnds, ownEnds, childReads: false);
            foreach (var fd in ownEnds)
            {
                SetNonBlocking(fd);
            }

            Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            actionsReady = true;
            Check(posix_spawnattr_init(attr), "posix_spawnattr_init");
            attrReady = true;
            Check(posix_spawn_file_actions_adddup2(actions, inRead, 0), "adddup2 stdin");
            Check(posix_spawn_file_actions_adddup2(actions, outWrite, 1), "adddup2 stdout");
            Check(posix_spawn_file_actions_adddup2(actions, errWrite, 2), "adddup2 stderr");
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
                throw new BenchException($"posix_spawnp {file}: {Marshal.GetPInvokeErrorMessage(rc)}");
            }

            // From here the parent's ends belong to the Spawn; the child's are closed in finally.
            var spawned = new Spawn(child, PidfdOpen(child), inWrite, outRead, errRead, start);
            ownEnds.Clear();
            return spawned;
        }
        finally
        {
            if (actionsReady)
            {
                posix_spawn_file_actions_destroy(actions);
            }

            if (attrReady)
            {
                posix_spawnattr_destroy(attr);
            }

            foreach (var fd in childEnds.Concat(ownEnds))
            {
                close(fd);
            }
        }
    }

    /// <summary>Writes <paramref name="input"/> and closes stdin, reads stdout and stderr to EOF, reaps the child.
    /// Past <paramref name="timeout"/> the child gets SIGKILL (by its PID: only what this harness started); what it
    /// left open is closed <see cref="KillGrace"/> later, so a grandchild holding a pipe cannot hang the harness.</summary>
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
        var graceEnd = long.MaxValue;
        var killed = false;
        // With a pidfd the loop also sees the exit, so a child that closed its stdio and lives on meets the deadline too;
        // without one (a kernel before 5.3) the harness waits in waitpid(2).
        var exited = pidfd < 0;
        var buffer = new byte[16384];
        var fds = stackalloc PollFd[4];
        while (stdout >= 0 || stderr >= 0 || !exited)
        {
            var now = Environment.TickCount64;
            if (!killed && now >= deadline)
            {
                _ = kill(pid, SigKill);
                killed = true;
                graceEnd = now + (long)KillGrace.TotalMilliseconds;
            }

            if (killed && now >= graceEnd)
            {
                break;
            }

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

            if (!exited)
            {
                fds[n++] = new PollFd { Fd = pidfd, Events = PollIn };
            }

            var ready = poll(fds, (nuint)n, (int)Math.Clamp((killed ? graceEnd : deadline) - now, 0, int.MaxValue));
            if (ready < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eintr)
                {
                    continue;
                }

                throw new BenchException($"poll: {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            for (var i = 0; i < n && ready > 0; i++)
            {
                if (fds[i].Revents == 0)
                {
                    continue;
                }

                if (fds[i].Fd == stdin)
                {
                    pending = WriteSome(pending);
                }
                else if (fds[i].Fd == pidfd)
                {
                    exited = true;
                }
                else
                {
                    Drain(fds[i].Fd == stdout ? outBytes : errBytes, fds[i].Fd, buffer);
                }
            }
        }

        CloseStdin();
        CloseFd(ref stdout);
        CloseFd(ref stderr);
        reapedStatus = Reap();
        reaped = true;
        var end = System.Diagnostics.Stopwatch.GetTimestamp();
        Dispose();
        // wait(2) status: exited → the code; killed by a signal → 128 + signal (as System.Diagnostics.Process reports it)
        var status = reapedStatus;
        var exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
        var stderrText = Encoding.UTF8.GetString(errBytes.GetBuffer(), 0, (int)errBytes.Length);
        if (killed)
        {
            stderrText += $"\n(bench: killed after {timeout.TotalSeconds:0} s)";
        }

        return new CallResult(System.Diagnostics.Stopwatch.GetElapsedTime(StartTimestamp, end).TotalMilliseconds, exitCode,
            Encoding.UTF8.GetString(outBytes.GetBuffer(), 0, (int)outBytes.Length), stderrText);
    }

    /// <summary>Closes the pipes and reaps the child; one that was never finished is killed first (by its PID, which
    /// cannot have been reused: it is not reaped yet).</summary>
    public void Dispose()
    {
        CloseStdin();
        CloseFd(ref stdout);
        CloseFd(ref stderr);
        if (!reaped)
        {
            if (pidfd < 0 || !HasExited())
            {
                _ = kill(pid, SigKill);
            }

            reapedStatus = Reap();
            reaped = true;
        }

        CloseFd(ref pidfd);
    }

    private unsafe int Reap()
    {
        int status;
        while (waitpid(pid, &status, 0) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Eintr)
            {
                throw new BenchException($"waitpid {pid}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }

        return status;
    }

    private unsafe bool HasExited()
    {
        var fd = new PollFd { Fd = pidfd, Events = PollIn };
        return poll(&fd, 1, 0) > 0;
    }

    private static int PidfdOpen(int pid)
    {
        var fd = (int)syscall(SysPidfdOpen, pid, 0);
        return fd >= 0 ? fd : -1;
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

    /// <summary>pipe2(O_CLOEXEC); the child's end goes to <paramref name="childEnds"/>, the harness's to <paramref name="ownEnds"/>.</summary>
    private static unsafe (int Read, int Write) Pipe(List<int> childEnds, List<int> ownEnds, bool childReads)
    {
        var fds = stackalloc int[2];
        if (pipe2(fds, OCloexec) != 0)
        {
            throw new BenchException($"pipe2: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        childEnds.Add(childReads ? fds[0] : fds[1]);
        ownEnds.Add(childReads ? fds[1] : fds[0]);
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

    // syscall(2) is variadic; its integer arguments travel in the same registers as a fixed signature's.
    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long arg1, long arg2);

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
