using System.Runtime.InteropServices;

namespace OvsMirror.Install;

/// <summary>
/// The few POSIX calls the installer needs exactly as specified, without a .NET wrapper that might copy or
/// stat behind our back: rename(2) replaces a directory entry atomically (POSIX.1-2017 rename: "If the link
/// named by the new argument exists, it shall be removed and old renamed to new ... there shall be no point at
/// which new does not exist"), symlink(2), and fsync(2) of a directory so that the rename itself is durable.
/// </summary>
internal static partial class PosixFileSystem
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;  // <asm-generic/fcntl.h>, x86-64
    private const int OCloExec = 0x80000;

    /// <summary>rename(2): atomically makes <paramref name="newPath"/> name what <paramref name="oldPath"/> named.</summary>
    public static void Rename(string oldPath, string newPath)
    {
        if (rename(oldPath, newPath) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"rename {oldPath} -> {newPath}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }

    /// <summary>symlink(2): makes <paramref name="linkPath"/> a symbolic link whose content is <paramref name="target"/>.</summary>
    public static void Symlink(string target, string linkPath)
    {
        if (symlink(target, linkPath) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"symlink {linkPath} -> {target}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }

    /// <summary>fsync(2) on the directory itself: makes the entries created or renamed in it durable.</summary>
    public static void SyncDirectory(string directory)
    {
        var fd = open(directory, ORdOnly | ODirectory | OCloExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"open {directory}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        try
        {
            if (fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fsync {directory}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rename(string oldPath, string newPath);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int symlink(string target, string linkPath);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
