namespace OvsMirror.Ovsdb;

/// <summary>The atomic types of RFC 7047 §5.1 (&lt;atom&gt;), plus the transaction-local named-uuid.</summary>
#pragma warning disable CA1720 // RFC 7047 §3.2 names the atomic types string, integer, real, boolean, uuid.
public enum OvsdbAtomKind
{
    String,
    Integer,
    Real,
    Boolean,
    Uuid,
    /// <summary>RFC 7047 §5.1 &lt;named-uuid&gt;: refers to a row inserted earlier in the same transaction.</summary>
    NamedUuid,
}
#pragma warning restore CA1720
