package dev.ota.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a script of {@code bench/node} with the npm packages the interop module installs
 * ({@code interop/node/node_modules}, pinned by its package-lock.json): JSON in on stdin, JSON out on stdout,
 * the script's stderr passed through.
 */
final class NodeProcess {
    private final Path scriptsDir;
    private final Path nodeModules;

    NodeProcess(Path scriptsDir, Path nodeModules) {
        this.scriptsDir = scriptsDir.toAbsolutePath();
        this.nodeModules = nodeModules.toAbsolutePath();
        if (!Files.isDirectory(this.nodeModules.resolve("tuf-js"))) {
            throw new IllegalStateException("tuf-js is not installed in " + this.nodeModules
                    + ": run `node interop/node/ensure-installed.js` (the bench script does)");
        }
    }

    byte[] run(String script, byte[] stdin) {
        ProcessBuilder pb = new ProcessBuilder("node", scriptsDir.resolve(script).toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // Scripts outside interop/node find its packages through NODE_PATH (CommonJS resolution).
        pb.environment().put("NODE_PATH", nodeModules.toString());
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()),
                    task -> new Thread(task, "node-stdout").start());
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            }
            int exit = p.waitFor();
            if (exit != 0) throw new IllegalStateException(script + " exited with " + exit + " (its stderr is above)");
            return out.join();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run node " + script + " (is Node.js on PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }

    String tufJsVersion() {
        try {
            String pkg = Files.readString(nodeModules.resolve("tuf-js/package.json"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(pkg);
            return m.find() ? m.group(1) : "?";
        } catch (IOException e) {
            return "?";
        }
    }

    String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version").start();
            String v = new String(readAll(p.getInputStream())).trim();
            p.waitFor();
            return v;
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
