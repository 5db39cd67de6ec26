package dev.ota.tuf.crypto;

import java.util.Base64;
import java.util.Optional;

/** PEM armour for public keys ({@code -----BEGIN PUBLIC KEY-----}), in the layout securesystemslib writes. */
final class Pem {
    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";
    private static final int LINE = 64;

    private Pem() {
    }

    /** 64-character base64 lines and a trailing newline, as python's cryptography and Node's crypto write it. */
    static String publicKey(byte[] spki) {
        String b64 = Base64.getEncoder().encodeToString(spki);
        StringBuilder out = new StringBuilder(BEGIN).append('\n');
        for (int i = 0; i < b64.length(); i += LINE) {
            out.append(b64, i, Math.min(b64.length(), i + LINE)).append('\n');
        }
        return out.append(END).append('\n').toString();
    }

    /**
     * The DER bytes of a PEM public key; empty if the text is not one PEM block of that label. Line breaks may be
     * LF or CRLF; anything else outside base64 is refused rather than skipped.
     */
    static Optional<byte[]> decodePublicKey(String pem) {
        String text = pem.strip();
        if (!text.startsWith(BEGIN) || !text.endsWith(END) || text.length() < BEGIN.length() + END.length()) {
            return Optional.empty();
        }
        String body = text.substring(BEGIN.length(), text.length() - END.length());
        StringBuilder b64 = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
            b64.append(c);
        }
        try {
            return Optional.of(Base64.getDecoder().decode(b64.toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
