using System.Globalization;
using System.Runtime.InteropServices;

namespace OvsMirror.Bench;

/// <summary>The machine the numbers come from.</summary>
internal sealed record Machine(int Cpus, string CpuModel, string Kernel, string Os, string Memory, string LoadAverage, string Ovs, string DotNet)
{
    public static Machine Describe(Tools tools) => new(
        Environment.ProcessorCount,
        FirstValue("/proc/cpuinfo", "model name") ?? "unknown",
        Read("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
        (FirstValue("/etc/os-release", "PRETTY_NAME", '=') ?? "unknown").Trim('"'),
        FirstValue("/proc/meminfo", "MemTotal") is { } kb ? $"{long.Parse(kb.Split(' ')[0], CultureInfo.InvariantCulture) / 1024 / 1024.0:0.0} GiB" : "unknown",
        LoadAverageNow(),
        Proc.Run(Command.Of(tools.OvsVsctl, "--version")).Stdout.Split('\n')[0].Trim(),
        RuntimeInformation.FrameworkDescription);

    /// <summary>"1.23 0.98 0.50" (1, 5 and 15 minutes).</summary>
    public static string LoadAverageNow() => string.Join(' ', (Read("/proc/loadavg") ?? "? ? ?").Split(' ').Take(3));

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? FirstValue(string path, string key, char separator = ':') =>
        Read(path)?.Split('\n')
            .Select(l => l.Split(separator, 2))
            .Where(p => p.Length == 2 && p[0].Trim() == key)
            .Select(p => p[1].Trim())
            .FirstOrDefault();
}
