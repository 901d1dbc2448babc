namespace OvsMirror.Mirroring.Ovs;

/// <summary>One <see cref="PortLocator"/> entry: attachment <paramref name="Id"/> has record <paramref name="Value"/> on the
/// bridge's mirror named <paramref name="MirrorName"/> (or <see cref="PortLocator.FullRead"/>).</summary>
internal sealed record PortLocatorEntry(AttachmentId Id, string MirrorName, string Key, string Value)
{
    public bool NeedsFullRead => Value == PortLocator.FullRead;
}
