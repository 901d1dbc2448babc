using System.Net;
using System.Net.Sockets;

namespace OvsMirror.Ovsdb;

/// <summary>
/// A TCP stream through the .NET Socket class (tcp:HOST:PORT endpoints): blocking mode, with every wait
/// bounded by Socket.Poll before the send or receive.
/// </summary>
internal sealed class TcpSocketTransport : IOvsdbTransport
{
    private readonly Socket _socket;

    private TcpSocketTransport(Socket socket) => _socket = socket;

    public static TcpSocketTransport Connect(OvsdbEndpoint endpoint, int timeoutMs)
    {
        Socket? socket = null;
        try
        {
            var address = IPAddress.TryParse(endpoint.Host, out var ip) ? ip : Dns.GetHostAddresses(endpoint.Host)[0];
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

            // A non-blocking connect bounded by poll(2): an unanswered SYN must not block past the deadline.
            socket.Blocking = false;
            try
            {
                socket.Connect(new IPEndPoint(address, endpoint.Port));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                if (!socket.Poll(TimeSpan.FromMilliseconds(timeoutMs), SelectMode.SelectWrite))
                {
                    throw new OvsdbTimeoutException($"connect to {endpoint} did not complete within {timeoutMs} ms");
                }

                var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                if (error != SocketError.Success)
                {
                    throw new SocketException((int)error);
                }
            }

            socket.Blocking = true;
            return new TcpSocketTransport(socket);
        }
        catch (Exception e) when (e is SocketException or IOException or IndexOutOfRangeException)
        {
            socket?.Dispose();
            throw new OvsdbConnectionException($"cannot connect to {endpoint}: {e.Message}", e);
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
    }

    public int Send(ReadOnlySpan<byte> data)
    {
        try
        {
            return _socket.Send(data, SocketFlags.None);
        }
        catch (SocketException e)
        {
            throw new IOException(e.Message, e);
        }
    }

    public int Receive(Span<byte> buffer)
    {
        try
        {
            return _socket.Receive(buffer, SocketFlags.None);
        }
        catch (SocketException e)
        {
            throw new IOException(e.Message, e);
        }
    }

    public bool Wait(bool forWrite, int timeoutMs) =>
        _socket.Poll(TimeSpan.FromMilliseconds(timeoutMs), forWrite ? SelectMode.SelectWrite : SelectMode.SelectRead);

    public void Dispose() => _socket.Dispose();
}
