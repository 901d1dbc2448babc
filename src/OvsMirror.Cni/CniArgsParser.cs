namespace OvsMirror.Cni;

/// <summary>
/// Parses <c>CNI_ARGS</c> (CNI SPEC §Parameters: "alphanumeric key-value pairs separated by semicolons",
/// for example <c>FOO=BAR;ABC=123</c>). Every key is kept, known or not (IgnoreUnknown, K8S_POD_NAME,
/// K8S_POD_NAMESPACE, K8S_POD_INFRA_CONTAINER_ID, K8S_POD_UID, ...): the plugin picks the ones it reads.
/// </summary>
/// <remarks>
/// Real runtimes repeat keys: containerd sends its copy of the K8S_* keys and Multus prepends its own, with
/// <c>IgnoreUnknown=true</c> in one copy and <c>IgnoreUnknown=1</c> in the other, in an order that varies between
/// calls. libcni-based plugins accept that (containernetworking/cni <c>pkg/types/args.go</c> LoadArgs applies the
/// pairs in order, so a later value replaces an earlier one), and so do we:
/// <list type="bullet">
/// <item>A repeat with the same value (for IgnoreUnknown: the same truth value, <c>true</c> = <c>1</c>) is normal.</item>
/// <item>A repeat with a <em>different</em> value means the runtime's copies disagree on who the pod is. Under
/// <see cref="CniArgsStrictness.Strict"/> (ADD, CHECK) that is code 4 naming the key: attaching on an ambiguous
/// identity could record the wrong pod. Under <see cref="CniArgsStrictness.Lenient"/> (DEL, GC, STATUS) the last
/// value wins and a warning is logged: CNI_ARGS content must never keep a pod from being torn down.</item>
/// <item>A pair without <c>=</c> or with an empty key: code 4 when strict; skipped with a warning when lenient.</item>
/// </list>
/// </remarks>
public static class CniArgsParser
{
    private const string IgnoreUnknownKey = "IgnoreUnknown";

    /// <summary>Parses strictly (as for ADD), throwing on the first problem.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string? value) =>
        Parse(value, CniArgsStrictness.Strict, static _ => { });

    /// <summary>
    /// Returns the pairs in the order of their first appearance, each with its last value. Empty segments
    /// (a trailing ';') are skipped; a value may contain '=' (the first '=' splits).
    /// </summary>
    /// <param name="value">CNI_ARGS, or null when unset.</param>
    /// <param name="strictness">Whether a malformed pair or a conflicting repeat is an error or a warning.</param>
    /// <param name="warn">Receives one line per tolerated problem; never the values (they may be anything).</param>
    public static IReadOnlyDictionary<string, string> Parse(string? value, CniArgsStrictness strictness, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(warn);
        var pairs = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(value))
        {
            return pairs;
        }

        bool strict = strictness == CniArgsStrictness.Strict;
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
            string? problem = equals switch
            {
                < 0 => $"CNI_ARGS pair {index} has no '=': expected KEY=VALUE pairs separated by ';'",
                0 => $"CNI_ARGS pair {index} has an empty key",
                _ => null,
            };
            if (problem is not null)
            {
                if (strict)
                {
                    throw new CniException(CniErrorCode.InvalidEnvironmentVariables, problem);
                }

                warn(problem + "; it is ignored");
                continue;
            }

            string key = segment[..equals].ToString();
            string pairValue = segment[(equals + 1)..].ToString();
            if (key == IgnoreUnknownKey && ParseBool(pairValue) is null)
            {
                // libcni: UnmarshallableBool takes 1/true and 0/false (any case) and nothing else.
                string message = $"CNI_ARGS IgnoreUnknown must be true, false, 1 or 0 (pair {index})";
                if (strict)
                {
                    throw new CniException(CniErrorCode.InvalidEnvironmentVariables, message);
                }

                warn(message + "; it is ignored");
                continue;
            }

            if (pairs.TryGetValue(key, out string? earlier) && !SameValue(key, earlier, pairValue))
            {
                string message = $"CNI_ARGS gives {key} more than once with different values (pair {index} differs from an earlier one)";
                if (strict)
                {
                    throw new CniException(CniErrorCode.InvalidEnvironmentVariables, message + ": the runtime's copies of the pod's identity disagree");
                }

                warn(message + "; the last one is used");
            }

            pairs[key] = pairValue;
        }

        return pairs;
    }

    private static bool SameValue(string key, string earlier, string later) =>
        key == IgnoreUnknownKey ? ParseBool(earlier) == ParseBool(later) : string.Equals(earlier, later, StringComparison.Ordinal);

    private static bool? ParseBool(string value) =>
        value.Equals("1", StringComparison.Ordinal) || value.Equals("true", StringComparison.OrdinalIgnoreCase) ? true
        : value.Equals("0", StringComparison.Ordinal) || value.Equals("false", StringComparison.OrdinalIgnoreCase) ? false
        : null;
}
