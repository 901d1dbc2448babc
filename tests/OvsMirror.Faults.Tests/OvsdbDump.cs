using OvsMirror.Testing;

namespace OvsMirror.Faults.Tests;

/// <summary><c>ovsdb-client dump</c> of the whole Open_vSwitch database (issue 13: "compare ovsdb-client dump").</summary>
internal static class OvsdbDump
{
    /// <summary>The dump; in a sandbox without ovs-vswitchd nobody else writes, so two dumps are equal iff nothing changed.</summary>
    public static async Task<string> ReadAsync(OvsSandbox sandbox)
    {
        var result = await ProcessRunner.RunCheckedAsync("ovsdb-client", ["--timeout=30", "dump", sandbox.DbEndpoint, "Open_vSwitch"]);
        return result.StandardOutput;
    }

    public static string Diff(string before, string after)
    {
        var a = before.Split('\n').ToHashSet(StringComparer.Ordinal);
        var b = after.Split('\n').ToHashSet(StringComparer.Ordinal);
        return string.Join('\n', a.Except(b).Select(l => "- " + l).Concat(b.Except(a).Select(l => "+ " + l)));
    }
}
