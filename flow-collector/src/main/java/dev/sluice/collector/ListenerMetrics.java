package dev.sluice.collector;

import java.net.InetSocketAddress;

/**
 * One listening address.
 *
 * @param protocol {@code udp} or {@code tcp} (IPFIX over TCP)
 * @param transport {@code epoll} or {@code nio}
 * @param address the address and port bound
 * @param sockets UDP sockets bound to it (one per receiving thread with SO_REUSEPORT, else one); for TCP 1
 * @param receiveBufferRequested the socket receive buffer asked for (bytes)
 * @param receiveBufferGranted the receive buffer the OS reports for the socket (Linux reports twice the value it
 *     grants, capped by {@code net.core.rmem_max}, as {@code getsockopt} does)
 * @param kernelDrops datagrams the kernel dropped because a socket's receive buffer was full (Linux: the
 *     {@code drops} column of /proc/net/udp and /proc/net/udp6 for these sockets); -1 where the OS does not say
 * @param connectionsOpen TCP: connections open now
 * @param connectionsAccepted TCP: connections accepted
 * @param connectionsRejected TCP: connections refused (over the connection bound, or not on the allowlist)
 * @param framingErrors TCP: connections closed for a bad message length or version
 * @param idleClosed TCP: connections closed after the idle timeout
 */
public record ListenerMetrics(String protocol, String transport, InetSocketAddress address, int sockets,
        int receiveBufferRequested, int receiveBufferGranted, long kernelDrops, long connectionsOpen,
        long connectionsAccepted, long connectionsRejected, long framingErrors, long idleClosed) {
}
