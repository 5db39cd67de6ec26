package dev.ota.portal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
    void onlyFacesPathsAreLeftToPrimeFacesPolicy() {
        assertTrue(SecurityHeaders.isFacesPage("/login.xhtml"));
        assertTrue(SecurityHeaders.isFacesPage("/app/status.xhtml"));
        assertFalse(SecurityHeaders.isFacesPage("/api/v1"));
        assertFalse(SecurityHeaders.isFacesPage("/error.html"));
        assertFalse(SecurityHeaders.isFacesPage(null));
    }
}
