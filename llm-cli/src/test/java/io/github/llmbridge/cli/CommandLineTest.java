package io.github.llmbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.cli.testdata.TraceDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The command line itself: help and version, and every bad argument as one line on stderr that
 * names it, with exit code 2 and nothing on stdout.
 */
class CommandLineTest {

    @TempDir
    static Path dir;

    private static String db;

    @BeforeAll
    static void database() {
        db = TraceDatabases.empty(dir.resolve("t.db")).toString();
    }

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        Cli.Result help = Cli.run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .contains("Usage: llm-bridge [-hV] [COMMAND]")
                .contains("  doctor  ", "  check   ", "  traces  ", "  report  ")
                .contains("Exit codes:", "  0    success", "  2    a bad argument", "  3    the trace database");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "doctor,         Usage: llm-bridge doctor",
        "check,          Usage: llm-bridge check",
        "traces,         Usage: llm-bridge traces",
        "traces list,    Usage: llm-bridge traces list",
        "traces show,    Usage: llm-bridge traces show",
        "traces summary, Usage: llm-bridge traces summary",
        "report,         Usage: llm-bridge report"
    })
    void everyCommandHasHelpWithTheExitCodes(String command, String usage) {
        String[] args = (command + " --help").split(" ", -1);

        Cli.Result help = Cli.run(args);

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith(usage).contains("Exit codes:", "-h, --help");
    }

    @Test
    void versionNamesTheToolAndTheJava() {
        Cli.Result version = Cli.run("--version");

        assertThat(version.exitCode()).isZero();
        assertThat(version.outLines().get(0)).matches("llm-bridge \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(version.outLines().get(1)).startsWith("Java ");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            frobnicate                                  | Unmatched argument at index 0: 'frobnicate'
            traces list DB --colour                     | Unknown option: '--colour'
            traces list DB --since 'three days'         | Invalid value for option '--since': 'three days' is not a time
            traces list DB --until 2026-13-01           | Invalid value for option '--until': '2026-13-01' is not a time
            traces list DB --status maybe               | Invalid value for option '--status': expected one of [OK, FAILED]
            traces list DB --category SLOW              | Invalid value for option '--category': expected one of [AUTHENTICATION,
            traces list DB --format xml                 | Invalid value for option '--format': expected one of [TABLE, JSONL, CSV]
            traces list DB --limit ten                  | Invalid value for option '--limit': 'ten' is not an int
            traces list DB --limit 0                    | --limit must be at least 1, was 0
            traces list DB --interval -1s --follow      | Invalid value for option '--interval': '-1s' is not a positive duration
            traces list DB --since 2026-11-21 --until 2026-11-20 | --until (2026-11-20T00:00:00Z) must be after --since (2026-11-21T00:00:00Z)
            traces summary DB --by week                 | Invalid value for option '--by': expected one of [SESSION, PREFIX, MODEL, ALL]
            traces summary DB --prefix-delimiter ::     | --prefix-delimiter must be one character, was '::'
            traces show                                 | Missing required parameter: '[DATABASE] TRACE_ID'
            traces show DB a b                          | Unmatched argument at index 4: 'b'
            report DB --bucket 0s                       | Invalid value for option '--bucket': '0s' is not a positive duration
            report DB --list 0                          | --list must be at least 1, was 0
            check --budget soon                         | Invalid value for option '--budget': 'soon' is not a positive duration
            traces                                      | a subcommand is missing: list, show or summary
            """)
    void aBadArgumentIsOneLineNamingItAndExitsTwo(String commandLine, String expected) {
        String[] args = commandLine.isBlank()
                ? new String[0]
                : commandLine
                        .replace("DB", db)
                        .replace("'three days'", "three_days")
                        .split(" ", -1);
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i].replace("three_days", "three days");
        }

        Cli.Result result = Cli.run(args);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines())
                .as(result.toString())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("llm-bridge")
                        .contains(expected)
                        .endsWith("--help')"));
    }

    @Test
    void noCommandAtAllIsAUsageError() {
        Cli.Result result = Cli.run();

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines())
                .containsExactly("llm-bridge: a command is missing: doctor, check, traces or report"
                        + " (see 'llm-bridge --help')");
    }

    @Test
    void timesAreReadInEveryFormTheHelpPromises() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
        ZoneId berlin = ZoneId.of("Europe/Berlin");

        assertThat(Arguments.time("now", clock, berlin)).isEqualTo("2026-11-29T12:00:00Z");
        assertThat(Arguments.time("90m", clock, berlin)).isEqualTo("2026-11-29T10:30:00Z");
        assertThat(Arguments.time("2d", clock, berlin)).isEqualTo("2026-11-27T12:00:00Z");
        assertThat(Arguments.time("1.5h", clock, berlin)).isEqualTo("2026-11-29T10:30:00Z");
        assertThat(Arguments.time("2026-11-29T10:00:00Z", clock, berlin)).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(Arguments.time("2026-11-29T10:00+01:00", clock, berlin)).isEqualTo("2026-11-29T09:00:00Z");
        // without a zone: local time in the given zone (Berlin is UTC+1 in November)
        assertThat(Arguments.time("2026-11-29T10:00", clock, berlin)).isEqualTo("2026-11-29T09:00:00Z");
        assertThat(Arguments.time("2026-11-29 10:00:30", clock, berlin)).isEqualTo("2026-11-29T09:00:30Z");
        assertThat(Arguments.time("2026-11-29", clock, berlin)).isEqualTo("2026-11-28T23:00:00Z");
        assertThatThrownBy(() -> Arguments.time("yesterday", clock, berlin))
                .hasMessageStartingWith("'yesterday' is not a time; use a date-time (2026-11-29T10:00, local time;");
    }

    @Test
    void durationsAreReadWithAUnitOrAsIso() {
        assertThat(Arguments.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Arguments.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Arguments.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Arguments.duration("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Arguments.duration("1w")).isEqualTo(Duration.ofDays(7));
        assertThat(Arguments.duration("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> Arguments.duration("5"))
                .hasMessage("'5' is not a positive duration; use a number and a unit: 500ms, 30s, 5m, 2h, 1d");
        assertThatThrownBy(() -> Arguments.duration("PT0S")).isInstanceOf(IllegalArgumentException.class);
    }
}
