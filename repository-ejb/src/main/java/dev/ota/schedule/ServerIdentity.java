package dev.ota.schedule;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This server process's name in lease rows: host, process id and a random part, so that two servers on
 * one host, or a restarted server reusing a process id, never take each other's lease for their own.
 */
final class ServerIdentity {
    static final String NAME = host() + "/" + ProcessHandle.current().pid() + "/"
            + HexFormat.of().formatHex(random());

    private ServerIdentity() {
    }

    private static byte[] random() {
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static String host() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.length() > 100 ? h.substring(0, 100) : h;
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
