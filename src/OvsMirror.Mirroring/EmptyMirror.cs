using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring;

/// <summary>
/// An owned mirror with no attachment left (a DEL that died between its two transactions leaves one), and what its
/// guarded removal checks: external_ids still exactly <see cref="EmptyExternalIds"/>, and for a remote mirror the
/// tunnel port it still outputs to.
/// </summary>
internal sealed record EmptyMirror(string Name, Guid Uuid, OvsdbMap EmptyExternalIds, Guid? TunnelPort);
