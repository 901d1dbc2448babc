namespace OvsMirror.Cni;

/// <summary>
/// An error with a CNI code, thrown where the error is raised and written by <see cref="CniDispatcher"/>
/// as the error result of CNI SPEC §Error: <c>{"cniVersion", "code", "msg", "details"}</c>.
/// A message may name configuration keys, never print their values: a configuration can hold secrets.
/// </summary>
public sealed class CniException : Exception
{
    /// <summary>Creates an error with a code from <see cref="CniErrorCode"/> (or 100+ for a plugin-specific one).</summary>
    public CniException(int code, string message, string? details = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        Code = code;
        Details = details;
    }

    /// <summary>The CNI error code (CNI SPEC §Error <c>code</c>).</summary>
    public int Code { get; }

    /// <summary>The optional long message (CNI SPEC §Error <c>details</c>); omitted from the output when null.</summary>
    public string? Details { get; }
}
