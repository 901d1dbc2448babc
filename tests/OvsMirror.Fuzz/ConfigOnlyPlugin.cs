using System.Text.Json.Nodes;
using OvsMirror.Cni;
using OvsMirror.Mirroring;

namespace OvsMirror.Fuzz;

/// <summary>
/// Does everything <see cref="OvsMirrorPlugin"/> does before it connects: the config parsing of each command through
/// the one backend registry (<see cref="MirrorBackends"/>: the OVS bridge with its NAD, cni-args and ovs-cni schemas by
/// program name, and OVN Northbound), and the target each command resolves. It never opens a socket, so a fuzzed
/// socket_file can reach no address.
/// </summary>
internal sealed class ConfigOnlyPlugin : ICniPlugin
{
    public JsonObject Add(CniRequest request, CancellationToken cancellationToken)
    {
        // In OvsMirrorPlugin.Add's order: parse, the pass-through result (prevResult is required), then the target.
        var config = MirrorBackends.Parse(request.NetworkConfig, request.ProgramName, ConfigPurpose.Attach);
        var output = CniResult.PassThrough(request.NetworkConfig);
        if (config.HasMirrors)
        {
            config.ResolveTarget(request);
            PodIdentity.FromCniArgs(request.Args);
        }

        return output;
    }

    public void Check(CniRequest request, CancellationToken cancellationToken) =>
        MirrorBackends.Parse(request.NetworkConfig, request.ProgramName, ConfigPurpose.Attach).ResolveCheckTarget(request);

    public void Del(CniRequest request, CancellationToken cancellationToken) => ParseForCleanup(request);

    public void Status(CniRequest request, CancellationToken cancellationToken) => ParseForCleanup(request);

    public void Gc(CniRequest request, CancellationToken cancellationToken) => ParseForCleanup(request);

    private static void ParseForCleanup(CniRequest request) =>
        MirrorBackends.Parse(request.NetworkConfig, request.ProgramName, ConfigPurpose.Cleanup);
}
