using System.Text.Json.Nodes;
using OvsMirror.Cni;
using OvsMirror.Mirroring;
using OvsMirror.Mirroring.Config;
using OvsMirror.Mirroring.Ovn;

namespace OvsMirror.Fuzz;

/// <summary>
/// Does everything <see cref="OvsMirrorPlugin"/> does before it connects: the config parsing of each command, for the
/// OVS bridge (NAD, cni-args and ovs-cni schemas, by program name) and the OVN backend. It never opens a socket, so a
/// fuzzed socket_file can reach no address.
/// </summary>
internal sealed class ConfigOnlyPlugin : ICniPlugin
{
    public JsonObject Add(CniRequest request, CancellationToken cancellationToken)
    {
        ParseForAdd(request);
        return CniResult.PassThrough(request.NetworkConfig);
    }

    public void Check(CniRequest request, CancellationToken cancellationToken) => ParseForAdd(request);

    public void Del(CniRequest request, CancellationToken cancellationToken) => ParseForCleanup(request);

    public void Status(CniRequest request, CancellationToken cancellationToken) => ParseForCleanup(request);

    public void Gc(CniRequest request, CancellationToken cancellationToken) => ParseForCleanup(request);

    private static void ParseForAdd(CniRequest request)
    {
        if (OvnConfigParser.SelectsOvn(request.NetworkConfig.Raw))
        {
            var ovn = OvnConfigParser.Parse(request.NetworkConfig.Raw, request.NetworkConfig.ArgsObject);
            if (ovn.Mirrors.Count > 0)
            {
                LogicalSwitchPortName.Resolve(ovn, request.Args);
            }

            return;
        }

        var config = PluginConfigParser.Parse(request.NetworkConfig, request.ProgramName);
        if (config.Mirrors.Count > 0)
        {
            HostInterface.Find(request.NetworkConfig.PrevResult
                ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "prevResult is required"));
        }
    }

    private static void ParseForCleanup(CniRequest request)
    {
        if (OvnConfigParser.SelectsOvn(request.NetworkConfig.Raw))
        {
            OvnConfigParser.ParseForCleanup(request.NetworkConfig.Raw);
            return;
        }

        PluginConfigParser.ParseForCleanup(request.NetworkConfig, request.ProgramName);
    }
}
