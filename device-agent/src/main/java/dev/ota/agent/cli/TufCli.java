package dev.ota.agent.cli;

import dev.ota.tuf.TufException;
import dev.ota.tuf.client.UrlConnectionFetcher;
import dev.ota.tuf.client.MetadataStore;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.metadata.TargetFile;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ota-agent-tuf}: one TUF client step per process, as ../shared/docs/agent-cli.md specifies, so that
 * third-party conformance tooling can drive our client. Exit status 0 on success, 1 on any failure, with the
 * reason on stderr.
 */
public final class TufCli {
    private TufCli() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.err, Clock.systemUTC());
        } catch (Throwable t) {
            // The contract allows only 0 and 1: whatever escapes is a failure, reported in one line.
            System.err.println("ota-agent-tuf: " + describe(t));
            status = 1;
        }
        System.exit(status);
    }

    static int run(String[] args, PrintStream err, Clock clock) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("ota-agent-tuf: " + e.getMessage());
            err.println(Options.USAGE);
            return 1;
        }
        try {
            switch (o.command()) {
                case "init" -> init(o);
                case "refresh" -> updater(o, clock).refresh();
                case "download" -> download(o, clock);
                default -> throw new IllegalArgumentException("unknown command " + o.command());
            }
            return 0;
        } catch (TufException | UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            err.println("ota-agent-tuf " + o.command() + ": " + describe(e));
            return 1;
        }
    }

    private static void init(Options o) {
        Path root = Path.of(o.require(o.arguments().isEmpty() ? null : o.arguments().get(0), "TRUSTED_ROOT_FILE"));
        try {
            MetadataStore.writeAtomically(Path.of(o.require(o.metadataDir(), "--metadata-dir")).resolve("root.json"),
                    Files.readAllBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root + ": " + e.getMessage(), e);
        }
    }

    private static Updater updater(Options o, Clock clock) {
        URI url = URI.create(o.require(o.metadataUrl(), "--metadata-url"));
        Path dir = Path.of(o.require(o.metadataDir(), "--metadata-dir"));
        return new Updater(url, dir, new UrlConnectionFetcher(Duration.ofSeconds(10), Duration.ofSeconds(120)), clock, UpdaterConfig.defaults());
    }

    private static void download(Options o, Clock clock) {
        if (o.targetNames().isEmpty()) throw new IllegalArgumentException("download needs at least one --target-name");
        URI base = URI.create(o.require(o.targetBaseUrl(), "--target-base-url"));
        Path targetDir = Path.of(o.require(o.targetDir(), "--target-dir"));
        Updater updater = updater(o, clock);
        updater.refresh();
        try {
            Files.createDirectories(targetDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + targetDir + ": " + e.getMessage(), e);
        }
        for (String name : o.targetNames()) {
            TargetFile target = updater.findTarget(name);
            updater.downloadTarget(name, target, base, targetDir);
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** Options by name, in any order, before the command; what follows the command are its arguments. */
    record Options(String command, String metadataDir, String metadataUrl, List<String> targetNames,
                   String targetDir, String targetBaseUrl, List<String> arguments) {
        static final String USAGE = """
                usage: ota-agent-tuf --metadata-dir DIR init TRUSTED_ROOT_FILE
                       ota-agent-tuf --metadata-url URL --metadata-dir DIR refresh
                       ota-agent-tuf --metadata-url URL --metadata-dir DIR --target-name P [--target-name P ...] \\
                                     --target-dir TDIR --target-base-url TURL download""";

        static Options parse(String[] args) {
            String command = null;
            String dir = null;
            String url = null;
            String tdir = null;
            String turl = null;
            List<String> names = new ArrayList<>();
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (command != null) {
                    rest.add(a);
                    continue;
                }
                if (a.startsWith("--")) {
                    String name = a;
                    String value;
                    int eq = a.indexOf('=');
                    if (eq > 0) {
                        name = a.substring(0, eq);
                        value = a.substring(eq + 1);
                    } else {
                        if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                        value = args[++i];
                    }
                    switch (name) {
                        case "--metadata-dir" -> dir = value;
                        case "--metadata-url" -> url = value;
                        case "--target-name" -> names.add(value);
                        case "--target-dir" -> tdir = value;
                        case "--target-base-url" -> turl = value;
                        default -> throw new IllegalArgumentException("unknown option " + name);
                    }
                } else {
                    command = a;
                }
            }
            if (command == null) throw new IllegalArgumentException("no command given");
            if (!List.of("init", "refresh", "download").contains(command)) {
                throw new IllegalArgumentException("unknown command '" + command + "'");
            }
            return new Options(command, dir, url, List.copyOf(names), tdir, turl, List.copyOf(rest));
        }

        String require(String value, String what) {
            if (value == null || value.isEmpty()) throw new IllegalArgumentException(command + " needs " + what);
            return value;
        }
    }
}
