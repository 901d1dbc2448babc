using OvsMirror.Testing;

namespace OvsMirror.Tests.Install;

/// <summary>
/// Runs a binary inside the Debian 11 sysroot as a chroot: the node of an older distribution, with glibc 2.31.
/// Each run is its own private mount namespace (<c>unshare --mount --propagation private</c>): a tmpfs over the
/// chroot's /tmp holds a copy of the binary, and a directory of the host (an ovsdb-server's state dir) is
/// bind-mounted at <see cref="SharedDirectoryInside"/>. The kernel drops those mounts when the namespace's last
/// process exits, whether the run passed, failed, timed out or the test host died, so nothing is ever left
/// mounted and the cached sysroot is never written to.
/// </summary>
internal sealed class Debian11Chroot(string sysroot, string binary, string sharedDirectory)
{
    /// <summary>Where <c>sharedDirectory</c> appears inside the chroot.</summary>
    public const string SharedDirectoryInside = "/tmp/shared";

    public const string BinaryInside = "/tmp/bin/ovs-mirror";

    // $0 is the script name; the rest are positional so nothing is ever interpolated into the script.
    private const string Script = """
        set -eu
        root=$1 binary=$2 shared=$3; shift 3
        mount -t tmpfs -o size=32m,mode=1777 ovs-mirror-chroot-tmp "$root/tmp"
        mkdir -p "$root/tmp/bin" "$root/tmp/shared"
        cp "$binary" "$root/tmp/bin/ovs-mirror"
        ln -s ovs-mirror "$root/tmp/bin/ovs-mirror-producer"
        mount --bind "$shared" "$root/tmp/shared"
        exec chroot "$root" "$@"
        """;

    /// <summary>Runs <paramref name="argv"/> (inside paths) in the chroot with this environment and stdin.</summary>
    public Task<ProcessResult> RunAsync(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? env = null, string? stdin = null) =>
        ProcessRunner.RunAsync(
            OvsTools.Require("unshare"),
            ["--mount", "--propagation", "private", "/bin/sh", "-c", Script, "chroot-run", sysroot, binary, sharedDirectory, .. argv],
            TimeSpan.FromSeconds(60), env, stdin ?? "");
}
