namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// The condition-only questions an ADD may ask about a mirror it joins (<see cref="OvsStateReader.ReadForAttach"/>), so it
/// need not read columns that grow with members: whether ovs-mirror owns it (external_ids includes the owner marker), and
/// whether it selects no port (both port sets empty).
/// </summary>
[Flags]
internal enum AttachProbes
{
    None = 0,
    Owned = 1,
    Portless = 2,
    All = Owned | Portless,
}
