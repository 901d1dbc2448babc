using System.Text;
using OvsMirror.Mirroring.Config;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>
/// The GRE/ERSPAN Port + Interface a remote mirror outputs to. Its name is stable and unique per (bridge, mirror)
/// and fits IFNAMSIZ (15 bytes): "omt" + 12 hex digits of SHA-256(bridge NUL mirror). The remote definition is kept
/// in the mirror's external_ids under <see cref="RemoteKey"/>, so every producer can be compared with it.
/// </summary>
internal static class TunnelPort
{
    public const string RemoteKey = "ovs-mirror/remote";

    public static string Name(string bridge, string mirror)
    {
        // Sha256, not System.Security.Cryptography.SHA256: that one loads OpenSSL on its first use (about 5 ms).
        var hash = Sha256.HashData(Encoding.UTF8.GetBytes(bridge + "\0" + mirror));
        return "omt" + Convert.ToHexStringLower(hash)[..12];
    }

    /// <summary>Inserts the Interface and the Port (uuid-name <paramref name="portUuidName"/>) and adds the Port to the bridge.</summary>
    public static IEnumerable<OvsdbOperation> Create(string bridge, string mirror, RemoteOutput remote, string portUuidName)
    {
        var name = Name(bridge, mirror);
        var interfaceUuidName = portUuidName + "i";
        yield return new InsertOperation(VswitchSchema.Interface, new OvsdbRow()
            .Set(VswitchSchema.Name, name)
            .Set(VswitchSchema.Type, remote.InterfaceType)
            .Set(VswitchSchema.Options, OvsdbMap.OfStrings(remote.Options()))
            .Set(VswitchSchema.ExternalIds, OwnerMarker.EmptyOwnedExternalIds), interfaceUuidName);
        yield return new InsertOperation(VswitchSchema.Port, new OvsdbRow()
            .Set(VswitchSchema.Name, name)
            .Set(VswitchSchema.Interfaces, OvsdbSet.Of(OvsdbAtom.FromNamedUuid(interfaceUuidName)))
            .Set(VswitchSchema.ExternalIds, OwnerMarker.EmptyOwnedExternalIds), portUuidName);
        yield return new MutateOperation(VswitchSchema.Bridge, Where.Eq(VswitchSchema.Name, bridge),
            [Mutation.Insert(VswitchSchema.Ports, OvsdbAtom.FromNamedUuid(portUuidName))]);
    }
}
