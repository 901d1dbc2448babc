using System.Globalization;

namespace OvsMirror.Install;

/// <summary>
/// Installs the running ovs-mirror binary into a CNI bin dir (/opt/cni/bin) while kubelet may be executing
/// the plugin from it, and removes it again.
/// <list type="bullet">
/// <item>Every file appears whole or not at all: the binary is written to a temp file in the same directory
/// (same filesystem, so rename cannot degrade to a copy), fsynced, made executable and renamed over the old
/// one; the <c>ovs-mirror-producer</c> / <c>ovs-mirror-consumer</c> links are made as temp links and renamed
/// the same way; then the directory is fsynced. A running plugin keeps its old inode: nothing ever writes into
/// a file that may be executing, so there is no ETXTBSY, and no caller can exec a half-written file.</item>
/// <item>Idempotent: a binary with the same bytes and links with the right target are left untouched.</item>
/// <item>Uninstall removes only what is ours: the links when they point at <c>ovs-mirror</c>, the binary when it
/// carries <see cref="BinaryIdentity.Marker"/>. Anything else of those names is left and reported.</item>
/// </list>
/// </summary>
internal sealed class CniBinInstaller(string sourceBinary)
{
    public const string BinaryName = "ovs-mirror";

    /// <summary>The ovs-cni names (DESIGN.md §2, ovs-cni drop-in): symlinks to the binary, which switches schema by argv[0].</summary>
    public static readonly IReadOnlyList<string> LinkNames = ["ovs-mirror-producer", "ovs-mirror-consumer"];

    private const string TempPrefix = ".ovs-mirror-install.";

    public InstallReport Install(string cniBinDir, bool withOvsCniLinks = true)
    {
        var dir = RequireDirectory(cniBinDir);
        if (!File.Exists(sourceBinary))
        {
            throw new InstallException($"the source binary {sourceBinary} does not exist");
        }

        var report = new InstallReport();
        var target = Path.Combine(dir, BinaryName);
        RefuseDirectoryAt(target);
        if (BinaryIdentity.SameContent(sourceBinary, target) && IsExecutable(target))
        {
            report.Kept($"{target}: already this build, left as is");
        }
        else
        {
            var existed = File.Exists(target);
            ReplaceFile(dir, target);
            report.Did(existed ? $"{target}: replaced (atomic rename)" : $"{target}: installed");
        }

        if (withOvsCniLinks)
        {
            foreach (var name in LinkNames)
            {
                var link = Path.Combine(dir, name);
                RefuseDirectoryAt(link);
                if (IsOurLink(link))
                {
                    report.Kept($"{link} -> {BinaryName}: already there");
                    continue;
                }

                var existed = File.Exists(link) || new FileInfo(link).LinkTarget is not null;
                ReplaceWithLink(dir, link);
                report.Did(existed ? $"{link} -> {BinaryName}: replaced what was there (atomic rename)" : $"{link} -> {BinaryName}: made");
            }
        }

        if (report.Changed)
        {
            PosixFileSystem.SyncDirectory(dir);
        }

        return report;
    }

    public static InstallReport Uninstall(string cniBinDir)
    {
        var dir = RequireDirectory(cniBinDir);
        var report = new InstallReport();
        foreach (var name in LinkNames)
        {
            var link = Path.Combine(dir, name);
            if (IsOurLink(link))
            {
                File.Delete(link);
                report.Did($"{link}: removed");
            }
            else if (File.Exists(link) || new FileInfo(link).LinkTarget is not null)
            {
                report.Kept($"{link}: not a link to {BinaryName}, left alone");
            }
        }

        var target = Path.Combine(dir, BinaryName);
        if (BinaryIdentity.IsOvsMirrorBinary(target))
        {
            File.Delete(target);
            report.Did($"{target}: removed");
        }
        else if (File.Exists(target) || Directory.Exists(target))
        {
            report.Kept($"{target}: not an ovs-mirror binary, left alone");
        }

        if (report.Changed)
        {
            PosixFileSystem.SyncDirectory(dir);
        }

        if (report.Lines.Count == 0)
        {
            report.Kept($"{dir}: nothing of ovs-mirror there");
        }

        return report;
    }

    private static string RequireDirectory(string cniBinDir)
    {
        if (string.IsNullOrWhiteSpace(cniBinDir))
        {
            throw new InstallException("--cni-bin-dir must not be empty");
        }

        var full = Path.GetFullPath(cniBinDir);
        if (File.Exists(full))
        {
            throw new InstallException($"--cni-bin-dir {full} is a file, not a directory");
        }

        if (!Directory.Exists(full))
        {
            throw new InstallException($"--cni-bin-dir {full} does not exist (kubelet's CNI bin dir, usually /opt/cni/bin; the DaemonSet's hostPath creates it)");
        }

        return full;
    }

    private static void RefuseDirectoryAt(string path)
    {
        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
        {
            throw new InstallException($"{path} is a directory: refusing to replace it");
        }
    }

    private static bool IsOurLink(string path) =>
        new FileInfo(path).LinkTarget is { } target && (target == BinaryName || target == Path.Combine(Path.GetDirectoryName(path)!, BinaryName));

    private static bool IsExecutable(string path) =>
        (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;

    private void ReplaceFile(string dir, string target)
    {
        var temp = TempPath(dir, BinaryName);
        try
        {
            // CreateNew: O_CREAT|O_EXCL, never an existing file; .NET opens with O_CLOEXEC, so no child of ours inherits the writer.
            using (var output = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            }))
            using (var input = new FileStream(sourceBinary, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                input.CopyTo(output);
                output.Flush(flushToDisk: true);   // fsync(2) before the rename makes it visible
            }

            // 0755 exactly, whatever the umask: kubelet runs plugins as root, but operators read the dir too.
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            PosixFileSystem.Rename(temp, target);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void ReplaceWithLink(string dir, string link)
    {
        var temp = TempPath(dir, Path.GetFileName(link));
        try
        {
            PosixFileSystem.Symlink(BinaryName, temp);   // relative: the link keeps working if the dir is bind-mounted elsewhere
            PosixFileSystem.Rename(temp, link);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static string TempPath(string dir, string name) => Path.Combine(dir, string.Create(
        CultureInfo.InvariantCulture, $"{TempPrefix}{name}.{Environment.ProcessId}.{Random.Shared.Next():x8}"));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // best effort: the temp name starts with a dot and says what it is
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
