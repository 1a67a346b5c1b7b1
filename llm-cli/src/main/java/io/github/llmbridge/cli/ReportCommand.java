package io.github.llmbridge.cli;

import io.github.llmbridge.cli.report.HtmlReport;
import io.github.llmbridge.cli.traces.ReportData;
import io.github.llmbridge.cli.traces.ReportRequest;
import io.github.llmbridge.cli.traces.SqliteTraceSource;
import io.github.llmbridge.cli.traces.TraceSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code llm-bridge report}: one self-contained HTML file with charts and tables over a trace
 * database, aggregated in the database so that a million traces take seconds.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Writes one HTML file (it opens offline: no CDN) from a trace database: calls and failures over time,"
                    + " latency percentiles over time, failures by category, retries and fallbacks, cost and tokens"
                    + " accumulated, per model and per session prefix (a training step), the slowest calls and the"
                    + " failed ones with their error messages.",
            "Prints the report's path when done."
        })
final class ReportCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(index = "0", arity = "0..1", paramLabel = Databases.LABEL, description = Databases.HELP)
    private String database;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "where to write the report (default: beside the database, NAME-report.html)")
    private Path output;

    @Mixin
    private TraceFilterOptions filters;

    @Option(
            names = "--bucket",
            paramLabel = "DURATION",
            converter = Arguments.DurationConverter.class,
            description = "the width of a time bucket in the charts, e.g. 1m, 1h (default: about "
                    + ReportRequest.TARGET_BUCKETS + " buckets over the run)")
    private Duration bucket;

    @Option(
            names = "--prefix-delimiter",
            paramLabel = "CHAR",
            description =
                    "where a session name's prefix ends: step-42/rollout-7 is in step-42 (default: ${DEFAULT-VALUE})",
            defaultValue = "/")
    private String delimiter;

    @Option(
            names = "--list",
            paramLabel = "N",
            description =
                    "how many slowest calls, latest failures and commonest errors to list (default: ${DEFAULT-VALUE})",
            defaultValue = "25")
    private int listed;

    @Option(
            names = "--max-groups",
            paramLabel = "N",
            description = "the most models and session prefixes shown, the earliest first (default: ${DEFAULT-VALUE})",
            defaultValue = "300")
    private int maxGroups;

    @Option(
            names = "--title",
            paramLabel = "TEXT",
            description = "the report's title (default: the database's file name)")
    private String title;

    ReportCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        char d = TracesSummaryCommand.delimiter(delimiter);
        if (listed < 1) {
            throw new CliException(ExitCodes.USAGE, "--list must be at least 1, was " + listed);
        }
        if (maxGroups < 1) {
            throw new CliException(ExitCodes.USAGE, "--max-groups must be at least 1, was " + maxGroups);
        }
        ReportRequest request = new ReportRequest(filters.filter(), bucket, d, listed, maxGroups);
        long start = System.nanoTime();
        Progress progress = Progress.on(context.err(), context.interactive());
        try (TraceSource source = Databases.open(database, context)) {
            Path target = target(source);
            ReportData data;
            String html;
            try {
                data = source.report(request, progress);
                progress.step(9, 9, "writing the HTML");
                String name = source instanceof SqliteTraceSource s
                        ? s.file().getFileName().toString()
                        : "traces";
                String shownDatabase = database != null ? database : name;
                html = new HtmlReport(context.zone(), title != null ? title : name, shownDatabase)
                        .render(data, context.clock().instant());
                write(target, html);
            } finally {
                progress.done();
            }
            context.out()
                    .printf(
                            Locale.ROOT,
                            "Report: %s (%s calls, %s, %.1f s)%n",
                            target,
                            Shown.count(data.totals().calls()),
                            size(html.getBytes(StandardCharsets.UTF_8).length),
                            (System.nanoTime() - start) / 1e9);
            return ExitCodes.OK;
        }
    }

    /** The output file: {@code -o}, else {@code NAME-report.html} beside a SQLite database. */
    private Path target(TraceSource source) {
        if (output != null) {
            return output.toAbsolutePath().normalize();
        }
        if (source instanceof SqliteTraceSource sqlite) {
            String name = sqlite.file().getFileName().toString();
            String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
            return sqlite.file().resolveSibling(stem + "-report.html");
        }
        throw new CliException(ExitCodes.USAGE, "name the report's file with -o FILE");
    }

    /** Writes through a temporary file beside the target, so a reader never sees half a report. */
    private static void write(Path target, String html) {
        Path dir = target.getParent();
        Path temp = null;
        try {
            if (Files.isDirectory(target)) {
                throw new CliException(
                        ExitCodes.CANNOT_WRITE, "cannot write the report to " + target + ": it is a directory");
            }
            if (dir != null) {
                Files.createDirectories(dir);
            }
            temp = Files.createTempFile(dir, ".llm-bridge-report-", ".html");
            Files.writeString(temp, html, StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new CliException(
                    ExitCodes.CANNOT_WRITE,
                    "cannot write the report to " + target + ": " + reason(e) + "; choose another file with -o",
                    e);
        }
    }

    private static String reason(IOException e) {
        String type = e.getClass().getSimpleName();
        return switch (type) {
            case "AccessDeniedException" -> "permission denied (" + e.getMessage() + ")";
            case "NoSuchFileException" -> "no such directory (" + e.getMessage() + ")";
            case "FileSystemException", "ReadOnlyFileSystemException" -> e.getMessage();
            default -> type + ": " + e.getMessage();
        };
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the write already failed; that failure is what the user needs to hear about
            }
        }
    }

    private static String size(long bytes) {
        return bytes >= 1 << 20
                ? String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1 << 20))
                : String.format(Locale.ROOT, "%d KB", Math.max(1, bytes / 1024));
    }
}
