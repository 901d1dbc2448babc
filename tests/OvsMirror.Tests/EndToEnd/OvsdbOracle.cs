using System.Text.RegularExpressions;

namespace OvsMirror.Tests.EndToEnd;

/// <summary>Checks OVSDB through ovs-vsctl (an oracle independent of the plugin's own OVSDB client).</summary>
internal static partial class OvsdbOracle
{
    /// <summary>The mirror exists and its port columns reference exactly these attachments' ports.</summary>
    public static async Task MirrorShouldBeAsync(
        this CniTestbed bed, string mirror, Attachment[] src, Attachment[] dst, Attachment? output)
    {
        ArgumentNullException.ThrowIfNull(bed);
        (await bed.MirrorNamesAsync()).Should().ContainSingle(n => n == mirror, "one Mirror row named {0}", mirror);
        (await UuidsAsync(bed, mirror, "select_src_port")).Should().BeEquivalentTo(await PortUuidsAsync(bed, src), "{0} select_src_port", mirror);
        (await UuidsAsync(bed, mirror, "select_dst_port")).Should().BeEquivalentTo(await PortUuidsAsync(bed, dst), "{0} select_dst_port", mirror);
        (await UuidsAsync(bed, mirror, "output_port")).Should().BeEquivalentTo(
            await PortUuidsAsync(bed, output is null ? [] : [output]), "{0} output_port", mirror);
    }

    /// <summary>No Mirror row is left, and br1 references none.</summary>
    public static async Task NoMirrorShouldBeLeftAsync(this CniTestbed bed)
    {
        ArgumentNullException.ThrowIfNull(bed);
        (await bed.MirrorNamesAsync()).Should().BeEmpty("every member has left");
        (await bed.GetAsync("Bridge", CniTestbed.Bridge, "mirrors")).Should().Be("[]");
    }

    public static async Task<IReadOnlyList<string>> UuidsAsync(CniTestbed bed, string mirror, string column)
    {
        ArgumentNullException.ThrowIfNull(bed);
        return [.. Uuid().Matches(await bed.GetAsync("Mirror", mirror, column)).Select(m => m.Value)];
    }

    private static async Task<List<string>> PortUuidsAsync(CniTestbed bed, Attachment[] attachments)
    {
        var list = new List<string>();
        foreach (var a in attachments)
        {
            list.Add(await bed.PortUuidAsync(a));
        }

        return list;
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();
}
