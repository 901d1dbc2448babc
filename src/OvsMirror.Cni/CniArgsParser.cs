namespace OvsMirror.Cni;

/// <summary>
/// Parses <c>CNI_ARGS</c> (CNI SPEC §Parameters: "alphanumeric key-value pairs separated by semicolons",
/// for example <c>FOO=BAR;ABC=123</c>). Every key is kept, known or not (IgnoreUnknown, K8S_POD_NAME,
/// K8S_POD_NAMESPACE, K8S_POD_INFRA_CONTAINER_ID, K8S_POD_UID, ...): the plugin picks the ones it reads.
/// </summary>
public static class CniArgsParser
{
    /// <summary>
    /// Returns the pairs in their order. Empty segments (a trailing ';') are skipped; a value may contain '='
    /// (the first '=' splits). A segment without '=', an empty key or a repeated key is code 4.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Parse(string? value)
    {
        var pairs = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(value))
        {
            return pairs;
        }

        int index = 0;
        foreach (Range range in value.AsSpan().Split(';'))
        {
            index++;
            ReadOnlySpan<char> segment = value.AsSpan(range);
            if (segment.IsEmpty)
            {
                continue;
            }

            int equals = segment.IndexOf('=');
            if (equals < 0)
            {
                throw new CniException(
                    CniErrorCode.InvalidEnvironmentVariables,
                    $"CNI_ARGS pair {index} has no '=': expected KEY=VALUE pairs separated by ';'");
            }

            if (equals == 0)
            {
                throw new CniException(
                    CniErrorCode.InvalidEnvironmentVariables,
                    $"CNI_ARGS pair {index} has an empty key");
            }

            string key = segment[..equals].ToString();
            if (!pairs.TryAdd(key, segment[(equals + 1)..].ToString()))
            {
                throw new CniException(
                    CniErrorCode.InvalidEnvironmentVariables,
                    $"CNI_ARGS has the key {key} more than once");
            }
        }

        return pairs;
    }
}
