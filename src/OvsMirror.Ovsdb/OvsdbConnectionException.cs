namespace OvsMirror.Ovsdb;

/// <summary>The server could not be reached, or the connection broke.</summary>
public sealed class OvsdbConnectionException(string message, Exception? inner = null) : OvsdbException(message, inner);
