/*
 * Keeps the NativeAOT runtime's start-up from reading /proc/self/mountinfo: the plugin's start-up then costs
 * the same on a node with 1,000 mounts as on one with 20.
 *
 * Before Main, the runtime looks for the cgroup hierarchies twice: the GC (src/coreclr/gc/unix/cgroup.cpp,
 * for a memory limit) and the runtime itself (nativeaot/Runtime/unix/cgroupcpu.cpp, for a CPU quota). Each
 * reads the whole of /proc/self/mountinfo with fopen64 + getline, and the kernel formats every line of it
 * (show_mountinfo). A Kubernetes node has several mounts per pod in the host's mount namespace, where
 * kubelet, containerd and so the plugin run: rootfs overlays, shm, projected volumes, netns binds. Measured
 * on this project's 2-core machine (issue 14; interleaved, 200 ADD+DEL pairs each): ADD p50 10.4 ms with
 * the scan and 5.5 ms without it in a mount namespace of 522 mounts, 5.7 and 4.9 ms with the 22 mounts of
 * this host (the cgroup files the scan leads to are skipped as well). README "Performance" has the bench's.
 *
 * Given an empty mount table, both find no cgroup hierarchy and go on as on a host without cgroups: the GC takes
 * the machine's memory (sysconf) and its load (/proc/meminfo), and the processor count is the CPUs the process
 * may run on (sched_getaffinity; DOTNET_PROCESSOR_COUNT still overrides it), not a CPU quota. For the
 * plugin that changes nothing it uses: a CNI call allocates under 1 MiB and lives a few milliseconds; it
 * starts no thread pool; `pause` (the DaemonSet's PID 1) allocates nothing. The kernel enforces the
 * cgroup's limits as before; only the runtime's own tuning to them is skipped.
 *
 * The link runs with -Wl,--wrap=fopen64,--wrap=fopen (src/NativeAotBinary.props, OvsMirrorNoCgroupScan), so
 * the runtime's static objects call these; libc's own calls (getmntent's fopen included) are untouched, and
 * every other path goes straight through. The managed code opens files with open(2) (System.Native).
 */
#include <stdio.h>
#include <string.h>

FILE *__real_fopen64(const char *path, const char *mode);
FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen64(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);

static const char mountinfo[] = "/proc/self/mountinfo";

/* /dev/null reads as an empty file; where it cannot be opened, the real table (the runtime's own behaviour). */
static FILE *empty_or(FILE *(*open)(const char *, const char *), const char *path, const char *mode)
{
    if (strcmp(path, mountinfo) == 0)
    {
        FILE *empty = open("/dev/null", mode);
        if (empty != NULL)
            return empty;
    }
    return open(path, mode);
}

FILE *__wrap_fopen64(const char *path, const char *mode) { return empty_or(__real_fopen64, path, mode); }
FILE *__wrap_fopen(const char *path, const char *mode) { return empty_or(__real_fopen, path, mode); }
