package io.github.llmbridge.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one place that knows a URL without a port means 443 for https and 80 for http. */
class HostAndPortTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://openrouter.ai/api/v1   | openrouter.ai:443
            HTTPS://openrouter.ai          | openrouter.ai:443
            http://localhost/v1            | localhost:80
            http://localhost:4000/v1       | localhost:4000
            https://gateway.example:8443/x | gateway.example:8443
            wss://stream.example           | stream.example:443
            ws://stream.example            | stream.example:80
            http://[::1]/v1                | [::1]:80
            https://[fd12:3456::1]         | [fd12:3456::1]:443
            """)
    void aUrlWithoutAPortUsesItsSchemesDefault(String url, String hostAndPort) {
        assertThat(HostAndPort.of(URI.create(url))).isEqualTo(hostAndPort);
        assertThat(HostAndPort.port(URI.create(url)))
                .isEqualTo(Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1)));
    }

    @ParameterizedTest(name = "scheme {0} -> {1}")
    @CsvSource({"https, 443", "wss, 443", "Https, 443", "http, 80", "ws, 80", "'', 80"})
    void defaultPortOfAScheme(String scheme, int port) {
        assertThat(HostAndPort.defaultPort(scheme)).isEqualTo(port);
        assertThat(HostAndPort.defaultPort(null)).isEqualTo(80);
    }
}
