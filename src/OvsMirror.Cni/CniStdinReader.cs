namespace OvsMirror.Cni;

/// <summary>Reads the network configuration from stdin (CNI SPEC §Section 2), refusing more than 1 MiB.</summary>
internal static class CniStdinReader
{
    /// <summary>The most bytes a network configuration may have. A config is a few KiB; more is a mistake or an attack.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>
    /// Reads to end of stream. More than <see cref="MaxBytes"/> is code 6; a failing read is code 5.
    /// Synchronous on purpose: the async read of a console stream is a blocking read on the thread pool,
    /// and starting the pool made a NativeAOT CNI call about 8 ms slower here. The runtime closes stdin
    /// after writing the config, so the read ends.
    /// </summary>
    public static ReadOnlyMemory<byte> Read(Stream stdin, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[] buffer = new byte[4096];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                // Grow up to one byte past the limit, which is enough to tell "too big" apart.
                int size = (int)Math.Min((long)buffer.Length * 4, MaxBytes + 1L);
                Array.Resize(ref buffer, size);
            }

            int read;
            try
            {
                read = stdin.Read(buffer.AsSpan(length));
            }
            catch (IOException e)
            {
                throw new CniException(CniErrorCode.IoFailure, "failed to read the network configuration from stdin", e.Message, e);
            }

            if (read == 0)
            {
                return buffer.AsMemory(0, length);
            }

            length += read;
            if (length > MaxBytes)
            {
                throw new CniException(CniErrorCode.DecodingFailure, "network configuration on stdin exceeds 1 MiB");
            }
        }
    }
}
