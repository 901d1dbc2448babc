namespace OvsMirror.Mirroring;

/// <summary>What a config is parsed for.</summary>
internal enum ConfigPurpose
{
    /// <summary>ADD and CHECK: the whole config, mirrors and pod arguments included, every key checked.</summary>
    Attach,

    /// <summary>
    /// DEL, GC and STATUS: only what reaching the database needs; they work from the records ADD left. Tolerant, so an
    /// attachment an older version accepted can always be removed.
    /// </summary>
    Cleanup,
}
