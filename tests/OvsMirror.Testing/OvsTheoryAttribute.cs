using Xunit;

namespace OvsMirror.Testing;

/// <summary>The <see cref="TheoryAttribute"/> twin of <see cref="OvsFactAttribute"/>.</summary>
public sealed class OvsTheoryAttribute : TheoryAttribute
{
    private bool requiresNorthbound;

    public OvsTheoryAttribute()
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
