using System.Globalization;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring.Ovs;

/// <summary>Where ovs-vswitchd's unixctl socket is (ovs-vswitchd(8), "--unixctl"): for flow revalidation and doctor.</summary>
internal static class VswitchdControlSocket
{
    /// <summary>
    /// <paramref name="explicitPath"/> (the "vswitchdCtl" setting), else ovs-vswitchd's default in the OVSDB socket's
    /// run directory: ovs-vswitchd.PID.ctl (PID from ovs-vswitchd.pid), or ovs-vswitchd.ctl when started with --unixctl.
    /// Null when none is found.
    /// </summary>
    public static string? Find(string? explicitPath, OvsdbEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (explicitPath is not null)
        {
            return explicitPath;
        }

        if (endpoint.Kind != OvsdbEndpointKind.Unix || Path.GetDirectoryName(endpoint.Path) is not { } runDir)
        {
            return null;
        }

        try
        {
            var pid = File.ReadAllText(Path.Combine(runDir, "ovs-vswitchd.pid")).Trim();
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                var byPid = Path.Combine(runDir, $"ovs-vswitchd.{pid}.ctl");
                if (File.Exists(byPid))
                {
                    return byPid;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        var plain = Path.Combine(runDir, "ovs-vswitchd.ctl");
        return File.Exists(plain) ? plain : null;
    }
}
