namespace OvsMirror.Fuzz;

/// <summary>A fuzz target's property was broken: an input gave an unexpected exception, code 999, or no answer.</summary>
public sealed class FuzzPropertyException(string message, Exception? inner = null) : Exception(message, inner);
