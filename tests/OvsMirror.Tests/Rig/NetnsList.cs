using OvsMirror.Testing;

namespace OvsMirror.Tests.Rig;

/// <summary>The names in <c>ip netns list</c> (an oracle independent of the sandbox's own bookkeeping).</summary>
internal static class NetnsList
{
    public static async Task<IReadOnlyList<string>> ReadAsync()
    {
        var result = await ProcessRunner.RunCheckedAsync(OvsTools.Require("ip"), ["netns", "list"]);
        return [.. result.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0])];
    }
}
