namespace OvsMirror.Ovsdb;

/// <summary>The peer sent something that is not valid RFC 7047 JSON-RPC.</summary>
public sealed class OvsdbProtocolException(string message, Exception? inner = null) : OvsdbException(message, inner);
