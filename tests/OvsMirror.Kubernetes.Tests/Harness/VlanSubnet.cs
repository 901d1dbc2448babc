using System.Globalization;

namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>
/// The harness's address plan: one /16 per VLAN (10.100/16 for VLAN 100, 10.200/16 for 200, 10.30/16 for 300,
/// 10.1/16 untagged), and inside it one block of 250 addresses per NAD (host-local keeps one pool per network
/// name, so NADs that share a VLAN must not share a range).
/// </summary>
public static class VlanSubnet
{
    public static int SecondOctet(int? vlan) => vlan switch
    {
        null or 0 => 1,
        <= 255 => vlan.Value,
        _ => vlan.Value / 10 % 256,
    };

    public static string Subnet(int? vlan) => string.Create(CultureInfo.InvariantCulture, $"10.{SecondOctet(vlan)}.0.0/16");

    public static string RangeStart(int? vlan, int block) => string.Create(CultureInfo.InvariantCulture, $"10.{SecondOctet(vlan)}.{block}.1");

    public static string RangeEnd(int? vlan, int block) => string.Create(CultureInfo.InvariantCulture, $"10.{SecondOctet(vlan)}.{block}.250");
}
