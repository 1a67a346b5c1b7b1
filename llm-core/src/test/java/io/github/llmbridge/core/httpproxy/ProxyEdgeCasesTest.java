package io.github.llmbridge.core.httpproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.settings.Settings;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Proxy values people really write: passwords with '/', '@' or spaces, no scheme, ports out of
 * range, words meaning "off", and local addresses in their less common spellings. Each case was
 * found in review and failed before its fix.
 */
class ProxyEdgeCasesTest {

    @ParameterizedTest(name = "displayUrl({0}) hides {1}")
    @CsvSource(delimiter = '|', textBlock = """
            alice:hunter22@corp:3128           | hunter22
            http://alice:hun/ter22@corp:3128   | ter22
            http://alice:hun@ter22@corp:3128   | ter22
            'http://alice:hun ter22@corp:3128' | ter22
            http://alice:hunter22@corp:3128/x?token=abc | hunter22
            """)
    void displayUrlMasksEveryPassword(String url, String secretPart) {
        assertThat(Secrets.displayUrl(url)).doesNotContain(secretPart).contains("****@");
    }

    @Test
    void displayUrlKeepsWhatIsNotSecret() {
        assertThat(Secrets.displayUrl("http://alice:pw@corp:3128")).isEqualTo("http://****@corp:3128");
        assertThat(Secrets.displayUrl("https://openrouter.ai/api/v1")).isEqualTo("https://openrouter.ai/api/v1");
        assertThat(Secrets.displayUrl("http://host/v1?key=sk-1")).isEqualTo("http://host/v1?...");
    }

    @ParameterizedTest(name = "HTTPS_PROXY={0}")
    @CsvSource(delimiter = '|', textBlock = """
            alice:hunter22@corp:notaport       | hunter22
            http://alice:hun/ter22@corp:3128   | ter22
            http://alice:hun@ter22@corp:3128   | ter22
            'http://alice:hun ter22@corp:3128' | ter22
            """)
    void anUnusableProxyUrlIsAConfigurationErrorThatNeverShowsThePassword(String value, String secretPart) {
        LlmException e = catchThrowableOfType(
                LlmException.class, () -> EnvProxySelector.fromSettings(Settings.of(Map.of("HTTPS_PROXY", value))));
        assertThat(e).as("HTTPS_PROXY=%s must be refused", value).isNotNull();
        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("HTTPS_PROXY").doesNotContain(secretPart);
    }

    @ParameterizedTest
    @CsvSource({"http://corp:99999", "http://corp:65536", "http://corp:0"})
    void aProxyPortOutOfRangeIsAConfigurationErrorNamingTheVariable(String value) {
        LlmException e = catchThrowableOfType(
                LlmException.class, () -> EnvProxySelector.fromSettings(Settings.of(Map.of("HTTPS_PROXY", value))));
        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("HTTPS_PROXY", "port must be from 1 to 65535");
    }

    @ParameterizedTest
    @CsvSource({"off", "false", "no", "0", "direct", "disabled", "OFF"})
    void llmProxyWordsMeaningOffAreAnErrorNotAHostName(String value) {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> EnvProxySelector.fromSettings(
                        Settings.of(Map.of("LLM_PROXY", value, "HTTPS_PROXY", "http://corp:3128"))));
        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("LLM_PROXY", "LLM_PROXY=none");
    }

    @ParameterizedTest
    @CsvSource({
        "http://0.0.0.0:4000",
        "http://127.1:4000",
        "http://2130706433:4000",
        "http://[::]:4000",
        "http://127.0.0.1:4000",
        "http://localhost:4000"
    })
    void localAddressesAreNotSentToTheCorporateProxy(String target) {
        EnvProxySelector s = EnvProxySelector.fromSettings(Settings.of(Map.of("HTTP_PROXY", "http://corp:3128")));
        assertThat(s.route(URI.create(target)).isDirect()).as(target).isTrue();
    }

    @Test
    void numericHostsAreReadWithoutALookupAndOthersLeftAlone() {
        assertThat(EnvProxySelector.numericHost("127.1")).isEqualTo("127.0.0.1");
        assertThat(EnvProxySelector.numericHost("2130706433")).isEqualTo("127.0.0.1");
        assertThat(EnvProxySelector.numericHost("10.1.2")).isEqualTo("10.1.0.2");
        assertThat(EnvProxySelector.numericHost("1.2.3.4.5")).isEqualTo("1.2.3.4.5");
        assertThat(EnvProxySelector.numericHost("999.1.1.1")).isEqualTo("999.1.1.1");
        assertThat(EnvProxySelector.numericHost("openrouter.ai")).isEqualTo("openrouter.ai");
        EnvProxySelector s = EnvProxySelector.fromSettings(Settings.of(Map.of("HTTP_PROXY", "http://corp:3128")));
        assertThat(s.route(URI.create("http://10.0.0.7:4000")).isDirect())
                .as("a remote numeric host uses the proxy")
                .isFalse();
    }
}
