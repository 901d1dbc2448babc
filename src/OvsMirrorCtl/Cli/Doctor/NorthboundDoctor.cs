using OvsMirror.Mirroring.Ovn;
using OvsMirror.Ovsdb;

namespace OvsMirror.Cli.Doctor;

/// <summary>OVN Northbound, for the <c>backend: ovn</c> configs (Kube-OVN).</summary>
internal static class NorthboundDoctor
{
    public static IEnumerable<DoctorCheck> Run(OvsdbEndpoint endpoint, TimeSpan timeout, CliScope scope, TextWriter log)
    {
        OvsdbSchema schema;
        try
        {
            using var connection = OvsdbConnection.Connect(endpoint, timeout);
            schema = connection.GetSchema(NorthboundSchema.Database);
        }
        catch (OvsdbException e)
        {
            return [OvsDoctor.Fail("OVN Northbound reachable", $"{endpoint}: {e.Message}",
                "check ovn-central and the NAD's ovn_nb address (ovn-nbctl --db=ADDRESS show)")];
        }

        var checks = new List<DoctorCheck> { OvsDoctor.Pass("OVN Northbound reachable", endpoint.ToString()) };

        // ovn-nb(5): the Mirror table and Logical_Switch_Port:mirror_rules came with OVN 22.12.
        checks.Add(schema.HasTable(NorthboundSchema.Mirror)
            ? OvsDoctor.Pass("OVN Northbound schema", $"{schema.Name} {schema.Version}: Mirror table yes")
            : OvsDoctor.Fail("OVN Northbound schema", $"{schema.Name} {schema.Version}: no Mirror table",
                "backend ovn needs OVN 22.12 or later (ovn-nbctl mirror-add)"));
        if (schema.HasTable(NorthboundSchema.Mirror))
        {
            scope.Run(log, backends => checks.AddRange(backends.Select(b => b.Inventory()).SelectMany(OvsDoctor.Inventory)));
        }

        return checks;
    }
}
