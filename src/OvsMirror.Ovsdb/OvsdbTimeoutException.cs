namespace OvsMirror.Ovsdb;

/// <summary>A connect or a call did not complete within its deadline.</summary>
public sealed class OvsdbTimeoutException(string message, Exception? inner = null) : OvsdbException(message, inner);
