namespace OvsMirror.Mirroring.Config;

/// <summary>The limits every backend's config shares, so no backend reads another's parser for them.</summary>
internal static class CommonLimits
{
    /// <summary>The smallest and largest <c>timeoutMs</c>.</summary>
    public const int MinTimeoutMs = 100;

    public const int MaxTimeoutMs = 120_000;

    /// <summary>The default deadline of one invocation (<c>timeoutMs</c> 10000, DESIGN §6).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A mirror name, in bytes of UTF-8 (DESIGN §2).</summary>
    public const int MaxMirrorNameBytes = 255;
}
