package dev.ota.portal.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a request to the portal or the management API travelled in a way that keeps passwords,
 * tokens and session cookies secret. A pure function of what the connection says, so every rule is
 * tested without a server:
 * <ul>
 * <li>TLS on this server's own HTTPS port: accepted;</li>
 * <li>plain HTTP from a loopback peer: accepted (the bytes never leave the host; the quick start and
 * the tests use it) unless that peer forwards for someone else (it sends {@code X-Forwarded-Proto},
 * {@code X-Forwarded-For} or {@code Forwarded}) and does not say {@code https}: a local proxy that
 * relays plain HTTP from the network is no better than the network;</li>
 * <li>plain HTTP from a proxy listed in {@code OTA_TRUSTED_PROXIES} that says
 * {@code X-Forwarded-Proto: https}: accepted (TLS ended at the proxy);</li>
 * <li>anything else: refused. {@code X-Forwarded-Proto} from an unlisted peer is ignored, since any
 * client can send it.</li>
 * </ul>
 */
public final class TransportPolicy {
    /** What was decided, and why (the reason goes into the refusal). */
    public enum Verdict {
        SECURE(true), LOOPBACK(true), TRUSTED_PROXY_TLS(true), PLAIN_HTTP_FROM_NETWORK(false),
        PLAIN_HTTP_RELAYED_BY_LOCAL_PROXY(false);

        private final boolean allowed;

        Verdict(boolean allowed) {
            this.allowed = allowed;
        }

        public boolean allowed() {
            return allowed;
        }
    }

    private final Set<String> trustedProxies;

    /**
     * @param trustedProxies peer addresses whose {@code X-Forwarded-Proto} is believed: IP literals
     *        only; a host name is ignored, since the peer is known by its address and nothing is resolved
     */
    public TransportPolicy(Set<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(TransportPolicy::literal).filter(a -> a != null)
                .map(InetAddress::getHostAddress).collect(Collectors.toUnmodifiableSet());
    }

    /** Parses {@code OTA_TRUSTED_PROXIES}: addresses separated by commas or spaces; blank or null means none. */
    public static TransportPolicy fromSetting(String trustedProxies) {
        if (trustedProxies == null || trustedProxies.isBlank()) {
            return new TransportPolicy(Set.of());
        }
        return new TransportPolicy(Arrays.stream(trustedProxies.split("[,\\s]+"))
                .filter(s -> !s.isBlank()).collect(Collectors.toSet()));
    }

    /**
     * @param secure whether the request came over TLS to this server
     * @param peerAddress the IP address of the connection's other end
     * @param forwardedProto the {@code X-Forwarded-Proto} header, or null
     * @param forwarded whether the request carries any forwarding header ({@code X-Forwarded-*}, {@code Forwarded})
     */
    public Verdict judge(boolean secure, String peerAddress, String forwardedProto, boolean forwarded) {
        if (secure) {
            return Verdict.SECURE;
        }
        boolean saysHttps = forwardedProto != null
                && forwardedProto.strip().toLowerCase(Locale.ROOT).equals("https");
        if (isLoopback(peerAddress)) {
            return !forwarded || saysHttps ? Verdict.LOOPBACK : Verdict.PLAIN_HTTP_RELAYED_BY_LOCAL_PROXY;
        }
        InetAddress peer = literal(peerAddress);
        if (saysHttps && peer != null && trustedProxies.contains(peer.getHostAddress())) {
            return Verdict.TRUSTED_PROXY_TLS;
        }
        return Verdict.PLAIN_HTTP_FROM_NETWORK;
    }

    /**
     * Whether the client reached this server over HTTPS: TLS here, or a proxy whose forwarding headers
     * are believed ({@link #believesForwardingFrom}) saying {@code X-Forwarded-Proto: https}. Cookies
     * given to such a client are marked Secure; a client on plain HTTP (loopback) gets them without,
     * or it could not send them back.
     */
    public boolean clientUsesHttps(boolean secure, String peerAddress, String forwardedProto) {
        return secure || forwardedProto != null && forwardedProto.strip().toLowerCase(Locale.ROOT).equals("https")
                && believesForwardingFrom(peerAddress);
    }

    /** Whether forwarding headers from this peer are believed: a listed proxy, or this host. */
    public boolean believesForwardingFrom(String peerAddress) {
        InetAddress peer = literal(peerAddress);
        return peer != null && (peer.isLoopbackAddress() || trustedProxies.contains(peer.getHostAddress()));
    }

    /** 127.0.0.0/8, ::1 and ::ffff:127.x; literal addresses only (no name is resolved). */
    public static boolean isLoopback(String address) {
        InetAddress parsed = literal(address);
        return parsed != null && parsed.isLoopbackAddress();
    }

    /** Parses an IP literal without ever asking DNS; null for anything that is not one. */
    private static InetAddress literal(String address) {
        if (address == null) {
            return null;
        }
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        boolean ipv4 = a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = a.contains(":") && a.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(a); // a literal: parsed, never resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
