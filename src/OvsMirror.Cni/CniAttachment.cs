namespace OvsMirror.Cni;

/// <summary>
/// One still-valid attachment of CNI SPEC 1.1 §GC (<c>cni.dev/valid-attachments</c>):
/// the CNI_CONTAINERID and CNI_IFNAME of an ADD the runtime still holds.
/// </summary>
/// <param name="ContainerId">The <c>containerID</c> key: CNI_CONTAINERID as given to ADD.</param>
/// <param name="IfName">The <c>ifname</c> key: CNI_IFNAME as given to ADD.</param>
public sealed record CniAttachment(string ContainerId, string IfName);
