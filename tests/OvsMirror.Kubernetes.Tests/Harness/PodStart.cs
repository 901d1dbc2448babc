namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>
/// One producer pod started and stopped: when it was created, how long until Ready (null: never), whether OVSDB had
/// its port in the mirror's <c>select_src_port</c>, whether its sandbox's netns was released after the delete (CNI DEL
/// done), and why it failed, if it did.
/// </summary>
public sealed record PodStart(string Name, DateTimeOffset Created, TimeSpan? Ready, bool Attached, bool Released, string? Failure)
{
    public bool Failed => Failure is not null || Ready is null || !Attached || !Released;

    /// <summary>Whether the pod's life (create to Ready) overlapped the interval [from, to].</summary>
    public bool Overlaps(DateTimeOffset from, DateTimeOffset to) => Created <= to && Created + (Ready ?? TimeSpan.Zero) >= from;
}
