namespace OvsMirror.Install;

/// <summary>An install or uninstall that cannot go ahead; the message says why and is shown to the operator as is.</summary>
internal sealed class InstallException(string message) : Exception(message);
