using Xunit;

namespace OvsMirror.Testing;

/// <summary>
/// A <see cref="FactAttribute"/> for tests that need a real OVS. It is skipped (with the reason)
/// only when OVS is unavailable AND <c>OVS_MIRROR_ALLOW_NO_OVS=1</c>; otherwise a missing OVS
/// makes the test fail loudly when it starts its sandbox.
/// </summary>
public sealed class OvsFactAttribute : FactAttribute
{
    private bool requiresNorthbound;

    public OvsFactAttribute()
    {
        if (OvsTools.SkipReason() is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>Also skip (under the same rule) when the OVN Northbound pieces are missing.</summary>
    public bool RequiresNorthbound
    {
        get => requiresNorthbound;
        set
        {
            requiresNorthbound = value;
            if (OvsTools.SkipReason(northbound: value) is { } reason)
            {
                Skip = reason;
            }
        }
    }
}
