package dev.ota.tuf.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ota.tuf.DownloadException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UrlConnectionFetcherTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void aBodyCutShortOfItsAnnouncedLengthIsATransferFailureNotShortBytes() throws IOException {
        URI url = serve(100, 10);

        DownloadException e = assertThrows(DownloadException.class,
                () -> new UrlConnectionFetcher(Duration.ofSeconds(5), Duration.ofSeconds(10)).fetch(url, 1024));

        assertTrue(e.getMessage().contains("the connection ended after 10 of the 100 bytes announced"), e.getMessage());
    }

    @Test
    void aWholeBodyIsReturned() throws IOException {
        URI url = serve(100, 100);

        assertArrayEquals(new byte[100], new UrlConnectionFetcher(Duration.ofSeconds(5), Duration.ofSeconds(10))
                .fetch(url, 1024));
    }

    /** A server announcing {@code announced} bytes and sending {@code sent} of them before the connection closes. */
    private URI serve(int announced, int sent) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, announced);
                OutputStream out = exchange.getResponseBody();
                out.write(new byte[sent]);
                out.flush();
                if (sent < announced) {
                    throw new IOException("link down");
                }
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/target.bin");
    }
}
