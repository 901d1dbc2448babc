namespace OvsMirror.Mirroring;

/// <summary>What every backend's attachment record says, whatever else it holds.</summary>
internal interface IAttachmentRecord
{
    /// <summary>The CNI network (config "name") the attachment belongs to (CNI SPEC 1.1 §GC scopes GC by it).</summary>
    string Network { get; }

    /// <summary>What the attachment made a member: the OVS port name, or the OVN Logical_Switch_Port name.</summary>
    string Target { get; }

    /// <summary>The pod, when the runtime named it in CNI_ARGS; null for records written before they carried it.</summary>
    PodIdentity? Pod { get; }
}
