package dev.ota.it;

import dev.ota.agent.runtime.AgentMain;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference device agent against the real server: releases uploaded through the management API reach
 * an A/B device through the TUF chain; a broken release is rolled back by the device itself.
 */
@ExtendWith(ArquillianExtension.class)
class AgentUpdateIT {
    private static final String HARDWARE = "acme-lock-v2";
    private final Http http = new Http();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @Test
    void deviceInstallsVersionTwoThenRollsBackBrokenVersionThreeByItself() throws Exception {
        // Arrange: a device trusting only 1.root.json, whose health check looks for HEALTHY in the booted image.
        String[] admin = ItAccounts.admin(http);
        Path device = Files.createTempDirectory("agent-it-");
        Files.write(device.resolve("root.json"), http.get("/metadata/1.root.json").body());
        String base = "http://127.0.0.1:" + System.getProperty("ota.it.http.port", "9180");
        Path config = device.resolve("agent.properties");
        Files.writeString(config, String.join("\n",
                "device.id=lock-it-1", "hardware.id=" + HARDWARE,
                "repository.metadata-url=" + base + "/metadata/", "repository.targets-url=" + base + "/targets/",
                "state.dir=state", "slots.dir=slots", "trusted.root=root.json",
                "health.command=grep -q HEALTHY image", "health.timeout-seconds=10", "boot.max-trial-boots=2", ""));
        HttpResponse<byte[]> v2 = upload(admin, "lock/agent-it-2.0.0.img", "2.0.0", "firmware 2.0.0 HEALTHY");
        assertEquals(201, v2.statusCode(), Http.text(v2));

        // Act 1
        Run first = agent(config, "update", "lock/agent-it-2.0.0.img");

        // Assert 1
        assertEquals(0, first.status, first.output);
        assertTrue(first.output.startsWith("COMMITTED") && first.output.contains("version=2.0.0"), first.output);

        // Act 2: version 3 boots but fails its health check.
        HttpResponse<byte[]> v3 = upload(admin, "lock/agent-it-3.0.0.img", "3.0.0", "firmware 3.0.0 BROKEN");
        assertEquals(201, v3.statusCode(), Http.text(v3));
        Run second = agent(config, "update", "lock/agent-it-3.0.0.img");

        // Assert 2: back on 2.0.0 without any help from the server, and the reports say why.
        assertEquals(2, second.status, second.output);
        assertTrue(second.output.startsWith("ROLLED_BACK") && second.output.contains("version=2.0.0"), second.output);
        String reports = Files.readString(device.resolve("state/reports.jsonl"));
        assertTrue(reports.contains("\"state\":\"ROLLED_BACK\"") && reports.contains("health check exited"), reports);
        Run status = agent(config, "status");
        assertTrue(status.output.contains("version=2.0.0"), status.output);
    }

    private HttpResponse<byte[]> upload(String[] admin, String path, String version, String content) {
        return http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version=" + version
                + "&hardwareId=" + HARDWARE, content.getBytes(StandardCharsets.UTF_8), admin);
    }

    private record Run(int status, String output) {
    }

    private static Run agent(Path config, String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = AgentMain.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Clock.systemUTC());
        return new Run(status, out.toString(StandardCharsets.UTF_8));
    }
}
