package dev.ota.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Runs one script of {@code interop/node} with Node.js: feeds it {@code stdin}, returns its stdout, and
 * fails with its stderr when it exits non-zero or overruns the timeout. The Maven build installs the
 * scripts' npm packages before the tests run (see the module's pom).
 */
public final class NodeScript {
    private static final Path NODE_DIR = Path.of(System.getProperty("interop.node.dir", "node")).toAbsolutePath();
    private static final String NODE = System.getProperty("interop.node.executable", "node");

    private final String script;
    private final Duration timeout;

    public NodeScript(String script, Duration timeout) {
        this.script = script;
        this.timeout = timeout;
    }

    public byte[] run(byte[] stdin) {
        Path file = NODE_DIR.resolve(script);
        if (!Files.isRegularFile(file)) throw new IllegalStateException("no Node script at " + file);
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules"))) {
            throw new IllegalStateException("npm packages missing in " + NODE_DIR + ": build with Maven, or run npm ci there");
        }
        Process process;
        try {
            process = new ProcessBuilder(NODE, file.toString()).directory(NODE_DIR.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start '" + NODE + "' (is Node.js installed?)", e);
        }
        try {
            // Each pipe gets its own thread: with large batches any of them can fill while another blocks.
            // (Not the common pool: on a 2-core machine it has one thread and the tasks would queue.)
            Executor ownThread = task -> new Thread(task, "node-" + script).start();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(process.getOutputStream(), stdin), ownThread);
            CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()), ownThread);
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()), ownThread);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(script + " did not finish within " + timeout);
            }
            String errors = new String(stderr.get(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " exited with " + process.exitValue() + ":\n" + errors);
            }
            writer.get();
            return stdout.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("I/O with " + script + " failed", e.getCause());
        } finally {
            process.destroyForcibly();
        }
    }

    private static void write(OutputStream out, byte[] bytes) {
        try (out) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
