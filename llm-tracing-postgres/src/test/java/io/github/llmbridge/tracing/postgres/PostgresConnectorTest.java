package io.github.llmbridge.tracing.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** How a failure is described: never with the password, not even a piece of it. */
class PostgresConnectorTest {

    private static final String PASSWORD = "pw-TOPSECRET-0123456789";

    @Test
    void aLongMessageIsCutAfterThePasswordIsScrubbedSoNoPieceOfItRemains() {
        PostgresConnector connector = new PostgresConnector(PostgresLocation.parse(
                "postgresql://tracer:" + PASSWORD + "@localhost:5432/traces", PostgresLocation.PasswordSources.NONE));
        String message = "x".repeat(285) + " password " + PASSWORD + " refused";

        String described = connector.describe(new SQLException(message, "28P01"));

        assertThat(described).doesNotContain(PASSWORD).doesNotContain("pw-TO").endsWith("... [SQLSTATE 28P01]");
    }
}
