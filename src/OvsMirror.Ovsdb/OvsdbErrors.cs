namespace OvsMirror.Ovsdb;

/// <summary>The error strings of RFC 7047 §4.1.3 and §5.2 that callers act on.</summary>
public static class OvsdbErrors
{
    /// <summary>§5.2.6: a "wait" condition was not met within its timeout.</summary>
    public const string TimedOut = "timed out";

    /// <summary>§4.1.3: a commit would break a constraint, for example a "maxUnits" or "minUnits" bound.</summary>
    public const string ConstraintViolation = "constraint violation";

    /// <summary>§4.1.3: a commit would leave a strong reference to a missing row.</summary>
    public const string ReferentialIntegrityViolation = "referential integrity violation";

    /// <summary>§4.1.3: the server ran out of a resource.</summary>
    public const string ResourcesExhausted = "resources exhausted";

    /// <summary>§4.1.3: the server could not write the change to disk.</summary>
    public const string IoError = "I/O error";

    /// <summary>§5.2.1: a uuid-name was used twice in one transaction.</summary>
    public const string DuplicateUuidName = "duplicate uuid-name";

    /// <summary>§5.2.4: a mutation's result would be outside the column's domain.</summary>
    public const string DomainError = "domain error";

    /// <summary>§5.2.4: a mutation's result would be outside the column's range.</summary>
    public const string RangeError = "range error";

    /// <summary>§4.1.1 and §4.1.3: the server does not have the named database.</summary>
    public const string UnknownDatabase = "unknown database";
}
