using System.Diagnostics;
using OvsMirror.Cni;
using OvsMirror.Ovsdb;

namespace OvsMirror.Mirroring;

/// <summary>
/// One connection for the whole command and one deadline, the config's timeout. A database that cannot be
/// reached, or does not answer in time, is CNI code 11 (try again later); any other OVSDB failure is code 5.
/// </summary>
internal static class OvsdbSession
{
    /// <param name="key">The config key that named the endpoint (socket_file, ovn_nb), for the error message.</param>
    /// <param name="action">Gets the connection and the deadline (a <see cref="Stopwatch"/> timestamp).</param>
    public static void Run(OvsdbEndpoint endpoint, TimeSpan timeout, string key, Action<string>? mark,
        Action<OvsdbConnection, long> action, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        try
        {
            using var connection = OvsdbConnection.Connect(endpoint, timeout, cancellationToken);
            connection.Deadline = deadline;
            connection.CallCompleted = mark;
            mark?.Invoke("connect");
            action(connection, deadline);
        }
        catch (OvsdbConnectionException e)
        {
            throw new CniException(CniErrorCode.TryAgainLater, $"OVSDB ({key}): {e.Message}");
        }
        catch (OvsdbTimeoutException e)
        {
            throw new CniException(CniErrorCode.TryAgainLater,
                $"OVSDB at {endpoint} did not complete within {timeout.TotalMilliseconds:0} ms (timeoutMs)", e.Message);
        }
        catch (OvsdbException e)
        {
            throw new CniException(CniErrorCode.IoFailure, $"OVSDB at {endpoint}: {e.Message}");
        }
    }
}
