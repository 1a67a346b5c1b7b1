package io.github.llmbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.cli.testdata.TraceDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command over traces faced with a database it cannot use: one line naming the file and
 * why, exit code 3, and the file left as it was. An empty trace database and one from the first
 * release are not errors.
 */
class DatabaseErrorsTest {

    @TempDir
    Path dir;

    /** The commands that read a database, with the arguments that follow it. */
    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("traces list", List.of()),
                Arguments.of("traces show", List.of("0000")),
                Arguments.of("traces summary", List.of()),
                Arguments.of("report", List.of()));
    }

    private Cli.Result run(String command, Path db, List<String> after) {
        List<String> args = new java.util.ArrayList<>(List.of(command.split(" ", -1)));
        args.add(db.toString());
        args.addAll(after);
        if (command.equals("report")) {
            args.addAll(List.of("-o", dir.resolve("out/report.html").toString()));
        }
        return Cli.run(args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aMissingFileIsNamedAndNotCreated(String command, List<String> after) {
        Path missing = dir.resolve("nope/run.db");

        Cli.Result result = run(command, missing, after);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_DATABASE);
        assertThat(result.errLines())
                .containsExactly("llm-bridge " + command + ": trace database " + missing + " does not exist");
        assertThat(result.out()).isEmpty();
        assertThat(missing.getParent()).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aCorruptFileIsReportedAsNotADatabase(String command, List<String> after) throws Exception {
        Path corrupt = TraceDatabases.corrupt(dir.resolve("corrupt.db"));
        byte[] before = Files.readAllBytes(corrupt);

        Cli.Result result = run(command, corrupt, after);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_DATABASE);
        assertThat(result.errLines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("llm-bridge " + command + ": trace database " + corrupt
                                + " is not a SQLite database, or is damaged ("));
        assertThat(Files.readAllBytes(corrupt)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void anotherApplicationsSqliteDatabaseIsRefusedAndLeftUntouched(String command, List<String> after)
            throws Exception {
        Path other = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
        }

        Cli.Result result = run(command, other, after);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_DATABASE);
        assertThat(result.errLines())
                .containsExactly("llm-bridge " + command + ": trace database " + other
                        + " is a SQLite database but not an LLM Bridge trace database (it has no traces table)");
        assertThat(tables(other)).containsExactly("users");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aFileFromANewerVersionIsRefusedSayingSo(String command, List<String> after) throws Exception {
        Path newer = TraceDatabases.empty(dir.resolve("newer.db"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + newer);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }

        Cli.Result result = run(command, newer, after);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_DATABASE);
        assertThat(result.errLines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith(
                                "llm-bridge " + command + ": trace database " + newer + " has schema version 99, newer"
                                        + " than this version of llm-tracing-sqlite supports"));
    }

    @Test
    void aDirectoryAnEmptyFileAndAPostgresUrlAreEachNamed() throws Exception {
        Cli.Result directory = Cli.run("traces", "list", dir.toString());
        assertThat(directory.exitCode()).isEqualTo(ExitCodes.BAD_DATABASE);
        assertThat(directory.errLines())
                .containsExactly("llm-bridge traces list: trace database " + dir + " is a directory, not a trace file");

        Path empty = Files.createFile(dir.resolve("empty.db"));
        Cli.Result emptyFile = Cli.run("traces", "list", empty.toString());
        assertThat(emptyFile.exitCode()).isEqualTo(ExitCodes.BAD_DATABASE);
        assertThat(emptyFile.errLines())
                .containsExactly(
                        "llm-bridge traces list: trace database " + empty + " is an empty file, not a trace database");
        assertThat(empty).isEmptyFile();

        Cli.Result postgres = Cli.run("report", "postgresql://db.internal/traces");
        assertThat(postgres.exitCode()).isEqualTo(ExitCodes.BAD_DATABASE);
        assertThat(postgres.errLines())
                .containsExactly("llm-bridge report: PostgreSQL trace stores are not supported yet; give the path of"
                        + " a SQLite trace file (LLM_TRACE_DB)");
    }

    @Test
    void withoutADatabaseArgumentLlmTraceDbIsReadAndWithoutEitherItIsAUsageError() {
        Path db = TraceDatabases.empty(dir.resolve("env.db"));

        Cli.Result fromEnv = Cli.run(Map.of("LLM_TRACE_DB", db.toString()), false, "traces", "summary");
        assertThat(fromEnv.exitCode()).as(fromEnv.toString()).isZero();
        assertThat(fromEnv.err()).contains(db.toString());

        Cli.Result neither = Cli.run("traces", "list");
        assertThat(neither.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(neither.errLines())
                .containsExactly("llm-bridge traces list: no trace database: give its path, or set LLM_TRACE_DB"
                        + " (see 'llm-bridge traces list --help')");
    }

    @Test
    void anEmptyTraceDatabaseListsNothingSummarisesNothingAndReportsThat() throws Exception {
        Path db = TraceDatabases.empty(dir.resolve("empty-traces.db"));

        Cli.Result list = Cli.run("traces", "list", db.toString());
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).isEmpty();
        assertThat(list.errLines()).containsExactly("no calls match all traces in SQLite trace file " + db);

        Cli.Result jsonl = Cli.run("traces", "list", db.toString(), "-f", "jsonl");
        assertThat(jsonl.exitCode()).isZero();
        assertThat(jsonl.out()).isEmpty();
        assertThat(jsonl.err()).as("machine formats print nothing for nothing").isEmpty();

        Cli.Result summary = Cli.run("traces", "summary", db.toString(), "--by", "model", "-f", "csv");
        assertThat(summary.exitCode()).isZero();
        assertThat(summary.out()).isEmpty();

        Path html = dir.resolve("empty-report.html");
        Cli.Result report = Cli.run("report", db.toString(), "-o", html.toString());
        assertThat(report.exitCode()).as(report.toString()).isZero();
        assertThat(report.outLines())
                .singleElement()
                .satisfies(line -> assertThat(line).startsWith("Report: " + html + " (0 calls, "));
        assertThat(Files.readString(html))
                .contains("<p class=\"empty\">No calls match all traces in this database.</p>")
                .doesNotContain("<canvas");
    }

    @Test
    void aDatabaseFromTheFirstReleaseIsReadAfterMigratingItAndSaysSo() throws Exception {
        Path old = TraceDatabases.versionOne(dir.resolve("v1.db"));

        Cli.Result list = Cli.run("traces", "list", old.toString(), "-f", "csv");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.errLines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .matches(java.util.regex.Pattern.quote("note: " + old
                                        + " was written by an older LLM Bridge; migrated its schema from version 1 to ")
                                + "\\d+"));
        assertThat(list.outLines()).hasSize(4);
        assertThat(list.outLines().get(1)).startsWith("2026-11-20T08:00:02Z,00000000-old3,old-step,");
        assertThat(list.outLines().get(2))
                .contains(",failed,TIMEOUT,", ",deadline of 30 s passed")
                .startsWith("2026-11-20T08:00:01Z,00000000-old2,");

        Cli.Result show = Cli.run("traces", "show", old.toString(), "00000000-old1");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.err())
                .as("migrated once: the second run finds the current version")
                .isEmpty();
        assertThat(show.out()).contains("\"content\" : \"2+2?\"", "\"content\" : \"4\"");

        Cli.Result summary = Cli.run("traces", "summary", old.toString(), "-f", "csv");
        assertThat(summary.outLines().get(1))
                .startsWith("all,3,1,0.333")
                .contains(",8,300,60,360,0.0003", ",1500,30000,");
    }

    private static List<String> tables(Path db) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }
}
