namespace OvsMirror.Ovsdb;

/// <summary>The base of every error this client raises.</summary>
public abstract class OvsdbException : Exception
{
    private protected OvsdbException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
