package dev.ota.portal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.portal.transport.TransportPolicy.Verdict;
import org.junit.jupiter.api.Test;

class TransportPolicyTest {
    private final TransportPolicy noProxies = TransportPolicy.fromSetting(null);
    private final TransportPolicy withProxy = TransportPolicy.fromSetting("10.0.0.5, 2001:db8::7");

    @Test
    void tlsIsAcceptedFromAnyPeer() {
        assertEquals(Verdict.SECURE, noProxies.judge(true, "203.0.113.9", null, false));
    }

    @Test
    void plainHttpFromTheNetworkIsRefused() {
        Verdict v = noProxies.judge(false, "203.0.113.9", null, false);
        assertEquals(Verdict.PLAIN_HTTP_FROM_NETWORK, v);
        assertFalse(v.allowed());
    }

    @Test
    void plainHttpOverLoopbackIsAcceptedForIpv4Ipv6AndMappedAddresses() {
        for (String loopback : new String[] {"127.0.0.1", "127.3.2.1", "::1", "0:0:0:0:0:0:0:1", "[::1]", "::ffff:127.0.0.1"}) {
            assertEquals(Verdict.LOOPBACK, noProxies.judge(false, loopback, null, false), loopback);
        }
    }

    @Test
    void aForwardedProtoHeaderFromAnUntrustedPeerIsIgnored() {
        assertEquals(Verdict.PLAIN_HTTP_FROM_NETWORK, noProxies.judge(false, "10.0.0.5", "https", true));
        assertEquals(Verdict.PLAIN_HTTP_FROM_NETWORK, withProxy.judge(false, "10.0.0.6", "https", true));
    }

    @Test
    void aTrustedProxyThatEndedTlsIsAccepted() {
        assertEquals(Verdict.TRUSTED_PROXY_TLS, withProxy.judge(false, "10.0.0.5", "https", true));
        assertEquals(Verdict.TRUSTED_PROXY_TLS, withProxy.judge(false, "2001:0db8:0:0:0:0:0:7", "HTTPS", true));
    }

    @Test
    void aTrustedProxyRelayingPlainHttpIsRefused() {
        assertEquals(Verdict.PLAIN_HTTP_FROM_NETWORK, withProxy.judge(false, "10.0.0.5", "http", true));
        assertEquals(Verdict.PLAIN_HTTP_FROM_NETWORK, withProxy.judge(false, "10.0.0.5", null, true));
    }

    @Test
    void aLocalProxyRelayingPlainHttpFromTheNetworkIsRefused() {
        Verdict v = noProxies.judge(false, "127.0.0.1", "http", true);
        assertEquals(Verdict.PLAIN_HTTP_RELAYED_BY_LOCAL_PROXY, v);
        assertFalse(v.allowed());
        assertEquals(Verdict.PLAIN_HTTP_RELAYED_BY_LOCAL_PROXY, noProxies.judge(false, "127.0.0.1", null, true));
        assertTrue(noProxies.judge(false, "127.0.0.1", "https", true).allowed());
    }

    @Test
    void hostNamesAndGarbageAreNeitherLoopbackNorTrusted() {
        assertFalse(TransportPolicy.isLoopback("localhost"));
        assertFalse(TransportPolicy.isLoopback(null));
        assertFalse(TransportPolicy.isLoopback("not an address"));
        assertEquals(Verdict.PLAIN_HTTP_FROM_NETWORK,
                TransportPolicy.fromSetting("proxy.example").judge(false, "proxy.example", "https", true));
    }

    @Test
    void theClientUsesHttpsOverTlsOrBehindABelievedProxyThatSaysSo() {
        assertTrue(noProxies.clientUsesHttps(true, "203.0.113.9", null));
        assertTrue(withProxy.clientUsesHttps(false, "10.0.0.5", "HTTPS"));
        assertTrue(noProxies.clientUsesHttps(false, "127.0.0.1", "https"));
        assertFalse(noProxies.clientUsesHttps(false, "127.0.0.1", null), "plain HTTP on loopback");
        assertFalse(withProxy.clientUsesHttps(false, "10.0.0.5", "http"));
        assertFalse(noProxies.clientUsesHttps(false, "10.0.0.5", "https"), "anyone can send the header");
    }
}
