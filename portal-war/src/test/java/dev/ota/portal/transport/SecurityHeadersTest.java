package dev.ota.portal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SecurityHeadersTest {
    @Test
    void pagePolicyIsTheOneWebXmlGivesPrimeFaces() throws Exception {
        String webXml = Files.readString(Path.of("src/main/webapp/WEB-INF/web.xml"));
        Matcher m = Pattern.compile("<param-name>primefaces.CSP_POLICY</param-name>\\s*<param-value>([^<]*)</param-value>")
                .matcher(webXml);

        assertTrue(m.find(), "web.xml sets primefaces.CSP_POLICY");
        assertEquals(SecurityHeaders.PAGE_POLICY, m.group(1));
        assertTrue(webXml.matches("(?s).*<param-name>primefaces.CSP</param-name>\\s*<param-value>true</param-value>.*"));
    }

    @Test
    void pagePolicyEndsWithScriptSrcSoPrimeFacesAppendsItsNonceThere() {
        assertTrue(SecurityHeaders.PAGE_POLICY.endsWith("script-src 'self'"));
        assertTrue(SecurityHeaders.PAGE_POLICY.contains("frame-ancestors 'none'"));
        assertFalse(SecurityHeaders.PAGE_POLICY.matches(".*script-src[^;]*unsafe.*"), "no unsafe script sources");
    }

    @Test
    void aPolicyAddedLaterReplacesTheDocumentPolicyInsteadOfAddingASecond() {
        Headers headers = new Headers();
        HttpServletResponse response = headers.response();
        SecurityHeaders.OnePolicy wrapped = new SecurityHeaders.OnePolicy(response);
        response.setHeader("Content-Security-Policy", SecurityHeaders.DOCUMENT_POLICY);

        // what PrimeFaces' CSP mode does through ExternalContext.addResponseHeader before a page renders
        wrapped.addHeader("Content-Security-Policy", SecurityHeaders.PAGE_POLICY + " 'nonce-abc';");
        wrapped.addHeader("Vary", "Accept");
        wrapped.addHeader("Vary", "Origin");

        assertEquals(List.of(SecurityHeaders.PAGE_POLICY + " 'nonce-abc';"), headers.values("Content-Security-Policy"));
        assertEquals(List.of("Accept", "Origin"), headers.values("Vary"), "other headers still add up");
    }

    @Test
    void theCaseOfTheHeaderNameDoesNotSneakASecondPolicyIn() {
        Headers headers = new Headers();
        SecurityHeaders.OnePolicy wrapped = new SecurityHeaders.OnePolicy(headers.response());
        wrapped.setHeader("Content-Security-Policy", SecurityHeaders.DOCUMENT_POLICY);

        wrapped.addHeader("content-security-policy", "script-src 'self'");

        assertEquals(List.of("script-src 'self'"), headers.values("Content-Security-Policy"));
    }

    /** Header bookkeeping of a servlet response (case-insensitive names), with nothing else behind it. */
    private static final class Headers {
        private final Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        List<String> values(String name) {
            return byName.getOrDefault(name, List.of());
        }

        HttpServletResponse response() {
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "setHeader" -> byName.put((String) args[0], new ArrayList<>(List.of((String) args[1])));
                            case "addHeader" -> byName.computeIfAbsent((String) args[0], k -> new ArrayList<>())
                                    .add((String) args[1]);
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
        }
    }
}
