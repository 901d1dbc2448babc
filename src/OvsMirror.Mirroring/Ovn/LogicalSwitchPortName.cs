using OvsMirror.Cni;

namespace OvsMirror.Mirroring.Ovn;

/// <summary>
/// Kube-OVN's name of a pod's Logical_Switch_Port: <c>&lt;K8S_POD_NAME&gt;.&lt;K8S_POD_NAMESPACE&gt;</c> for the
/// pod's default network, <c>&lt;pod&gt;.&lt;namespace&gt;.&lt;provider&gt;</c> for an attachment network
/// (spec: kube-ovn-remote-port-mirroring.md, "kubectl get ips"). <c>logicalSwitchPort</c> overrides both.
/// </summary>
internal static class LogicalSwitchPortName
{
    public const string PodNameArg = "K8S_POD_NAME";
    public const string PodNamespaceArg = "K8S_POD_NAMESPACE";

    public static string Resolve(OvnPluginConfig config, IReadOnlyDictionary<string, string> cniArgs)
    {
        if (config.LogicalSwitchPort is { } explicitName)
        {
            return explicitName;
        }

        var pod = cniArgs.GetValueOrDefault(PodNameArg);
        var ns = cniArgs.GetValueOrDefault(PodNamespaceArg);
        if (string.IsNullOrEmpty(pod) || string.IsNullOrEmpty(ns))
        {
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables,
                $"backend ovn names the Logical_Switch_Port <{PodNameArg}>.<{PodNamespaceArg}> from CNI_ARGS, and " +
                $"CNI_ARGS lacks {(string.IsNullOrEmpty(pod) ? PodNameArg : PodNamespaceArg)}; set logicalSwitchPort to name it explicitly");
        }

        return config.Provider is { } provider ? $"{pod}.{ns}.{provider}" : $"{pod}.{ns}";
    }
}
