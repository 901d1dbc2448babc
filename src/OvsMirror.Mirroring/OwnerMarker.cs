using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring;

/// <summary>
/// The Mirror:external_ids pair that marks a mirror ovs-mirror created, and so may remove once its last
/// attachment leaves. Mirrors without it (made by ovs-vsctl, say) are never deleted or reconfigured.
/// </summary>
internal static class OwnerMarker
{
    public const string Key = "ovs-mirror/owner";
    public const string Value = "ovs-mirror";

    /// <summary>external_ids of an owned mirror with no attachment left: exactly the marker.</summary>
    public static OvsdbMap EmptyOwnedExternalIds { get; } = OvsdbMap.OfStrings([KeyValuePair.Create(Key, Value)]);
}
