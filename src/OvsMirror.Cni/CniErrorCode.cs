namespace OvsMirror.Cni;

/// <summary>
/// The well-known CNI error codes (CNI SPEC §Error: codes 0-99 are reserved, 100+ belong to plugins).
/// Throw a <see cref="CniException"/> with one of these where the error is raised;
/// only <see cref="CniDispatcher"/> uses <see cref="Generic"/>, for exceptions nobody classified.
/// </summary>
public static class CniErrorCode
{
    /// <summary>CNI SPEC §Error: 1, incompatible CNI version.</summary>
    public const int IncompatibleCniVersion = 1;

    /// <summary>CNI SPEC §Error: 2, unsupported field in network configuration (the message must name the key and value).</summary>
    public const int UnsupportedField = 2;

    /// <summary>CNI SPEC §Error: 3, container unknown or does not exist.</summary>
    public const int UnknownContainer = 3;

    /// <summary>CNI SPEC §Error: 4, invalid necessary environment variables, like CNI_COMMAND or CNI_CONTAINERID.</summary>
    public const int InvalidEnvironmentVariables = 4;

    /// <summary>CNI SPEC §Error: 5, I/O failure, for example failed to read network config bytes from stdin.</summary>
    public const int IoFailure = 5;

    /// <summary>CNI SPEC §Error: 6, failed to decode content, for example failed to unmarshal network config from bytes.</summary>
    public const int DecodingFailure = 6;

    /// <summary>CNI SPEC §Error: 7, invalid network config: some validations did not pass.</summary>
    public const int InvalidNetworkConfig = 7;

    /// <summary>CNI SPEC §Error: 11, try again later: a transient condition, the runtime should retry.</summary>
    public const int TryAgainLater = 11;

    /// <summary>CNI SPEC 1.1 §STATUS: 50, the plugin is not available (it cannot service ADD requests).</summary>
    public const int PluginNotAvailable = 50;

    /// <summary>CNI SPEC 1.1 §STATUS: 51, the plugin is not available, and existing containers in the network may have limited connectivity.</summary>
    public const int PluginNotAvailableLimitedConnectivity = 51;

    /// <summary>
    /// 999, the generic code libcni and skel use for an unclassified failure (CNI SPEC §Error: 100+ is plugin-specific).
    /// Only the dispatcher maps an unexpected exception to it.
    /// </summary>
    public const int Generic = 999;
}
