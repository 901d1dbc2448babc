using OvsMirror.Cni;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>The errors more than one planner raises, worded once.</summary>
internal static class Errors
{
    public static CniException BridgeNotFound(string bridge) =>
        new(PluginErrorCode.BridgeNotFound, $"bridge {bridge} does not exist in OVSDB");

    public static CniException SelectionConflict(string mirror, string why) =>
        new(PluginErrorCode.SelectionConflict, $"mirror {mirror}: {why}");
}
