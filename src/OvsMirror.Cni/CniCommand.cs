namespace OvsMirror.Cni;

/// <summary>The operations of CNI SPEC §CNI operations, passed in <c>CNI_COMMAND</c>.</summary>
public enum CniCommand
{
    /// <summary>CNI SPEC §ADD: add the container to the network, or apply modifications.</summary>
    Add,

    /// <summary>CNI SPEC §DEL: remove the container from the network, or un-apply modifications.</summary>
    Del,

    /// <summary>CNI SPEC §CHECK (0.4.0+): check the container's networking is as expected.</summary>
    Check,

    /// <summary>CNI SPEC §STATUS (1.1.0+): check whether the plugin is ready to service ADD.</summary>
    Status,

    /// <summary>CNI SPEC §GC (1.1.0+): clean up resources of attachments not in <c>cni.dev/valid-attachments</c>.</summary>
    Gc,

    /// <summary>CNI SPEC §VERSION: report the supported spec versions.</summary>
    Version,
}
