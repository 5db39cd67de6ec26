package dev.ota.portal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ota.portal.transport.UploadGate.Verdict;
import org.junit.jupiter.api.Test;

class UploadGateTest {
    private static final long CAP = 4L << 20;
    private static final String MULTIPART = "multipart/form-data; boundary=xyz";

    @Test
    void ordinaryFormPostsPassEverywhere() {
        assertEquals(Verdict.PASS, UploadGate.judge("application/x-www-form-urlencoded", 300, "/login.xhtml", false, CAP));
        assertEquals(Verdict.PASS, UploadGate.judge(null, -1, "/login.xhtml", false, CAP));
    }

    @Test
    void multipartToTheLoginPageIsRefusedWhateverItsSize() {
        assertEquals(Verdict.NOT_AN_UPLOAD_PAGE, UploadGate.judge(MULTIPART, 100, "/login.xhtml", false, CAP));
        assertEquals(Verdict.NOT_AN_UPLOAD_PAGE, UploadGate.judge("Multipart/Form-Data", -1, "/login.xhtml", false, CAP));
    }

    @Test
    void multipartToAnotherSignedInPageIsRefused() {
        assertEquals(Verdict.NOT_AN_UPLOAD_PAGE, UploadGate.judge(MULTIPART, 100, "/app/password.xhtml", true, CAP));
    }

    @Test
    void theUploadPageTakesMultipartOnlyWhenSignedInAndWithinTheCap() {
        assertEquals(Verdict.NOT_AN_UPLOAD_PAGE, UploadGate.judge(MULTIPART, 100, "/app/releases.xhtml", false, CAP));
        assertEquals(Verdict.PASS, UploadGate.judge(MULTIPART, CAP, "/app/releases.xhtml", true, CAP));
        assertEquals(Verdict.PASS, UploadGate.judge(MULTIPART, -1, "/app/releases.xhtml", true, CAP));
        assertEquals(Verdict.TOO_LARGE, UploadGate.judge(MULTIPART, CAP + UploadGate.FORM_FIELDS_ALLOWANCE + 1,
                "/app/releases.xhtml", true, CAP));
    }

    @Test
    void capSettingFallsBackToOneGibibyteWhenMissingOrUnreadable() {
        assertEquals(1L << 30, UploadGate.maxUploadBytes(null));
        assertEquals(1L << 30, UploadGate.maxUploadBytes("lots"));
        assertEquals(4194304, UploadGate.maxUploadBytes("4194304"));
    }
}
