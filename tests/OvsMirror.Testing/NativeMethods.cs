using System.Runtime.InteropServices;

namespace OvsMirror.Testing;

/// <summary>The few libc calls the rig needs (Linux x64 signal numbers).</summary>
internal static class NativeMethods
{
    internal const int SIGKILL = 9;
    internal const int SIGTERM = 15;
    internal const int SIGCONT = 18;
    internal const int SIGSTOP = 19;

    /// <summary>mkdtemp(3): replaces the trailing XXXXXX of the template in place.</summary>
    [DllImport("libc", EntryPoint = "mkdtemp", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern IntPtr MkdTemp(byte[] template);

    /// <summary>kill(2).</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern int Kill(int pid, int signal);
}
