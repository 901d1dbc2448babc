namespace OvsMirror.Ovsdb;

/// <summary>
/// A JSON-RPC request failed as a whole (RFC 7047 §4: a non-null "error"), for example
/// "unknown database" for a transact on a database the server does not have.
/// </summary>
public sealed class OvsdbRpcException(string method, string error, string? details)
    : OvsdbException(details is null ? $"{method}: {error}" : $"{method}: {error}: {details}")
{
    public string Method { get; } = method;

    public string Error { get; } = error;

    public string? Details { get; } = details;
}
