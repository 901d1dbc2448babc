namespace OvsMirror.Tests.Install;

/// <summary>A test that runs a private containerd: skipped, with the reason, where containerd and ctr are not installed (apt-get install containerd).</summary>
public sealed class ContainerdFactAttribute : FactAttribute
{
    public ContainerdFactAttribute()
    {
        if (!PrivateContainerd.Available)
        {
            Skip = "containerd/ctr not installed (apt-get install containerd): the ctr import test is skipped";
        }
    }
}
