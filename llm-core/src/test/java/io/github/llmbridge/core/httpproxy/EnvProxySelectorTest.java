package io.github.llmbridge.core.httpproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.settings.Settings;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The proxy variables as curl reads them, as a table: environment, target, expected route. */
class EnvProxySelectorTest {

    private static EnvProxySelector selector(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return EnvProxySelector.fromSettings(Settings.of(env));
    }

    private static String via(EnvProxySelector selector, String target) {
        ProxyRoute route = selector.route(URI.create(target));
        return route.isDirect() ? "DIRECT" : route.proxyHostAndPort() + " " + route.reason();
    }

    @ParameterizedTest(name = "{0}={1} -> {2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            HTTPS_PROXY | http://corp:3128     | https://openrouter.ai/api/v1 | corp:3128 HTTPS_PROXY
            https_proxy | http://corp:3128     | https://openrouter.ai/api/v1 | corp:3128 https_proxy
            HTTPS_PROXY | http://corp:3128     | http://proxy.lan:4000        | DIRECT
            HTTP_PROXY  | http://corp:8080     | http://proxy.lan:4000        | corp:8080 HTTP_PROXY
            http_proxy  | corp:8080            | http://proxy.lan:4000        | corp:8080 http_proxy
            HTTP_PROXY  | http://corp:8080     | https://openrouter.ai        | DIRECT
            ALL_PROXY   | http://corp:1080     | https://openrouter.ai        | corp:1080 ALL_PROXY
            all_proxy   | http://corp:1080     | http://proxy.lan:4000        | corp:1080 all_proxy
            HTTPS_PROXY | corp                 | https://openrouter.ai        | corp:80 HTTPS_PROXY
            HTTPS_PROXY | http://[fd00::1]:3128 | https://openrouter.ai       | [fd00::1]:3128 HTTPS_PROXY
            LLM_PROXY   | http://llm-only:3128 | https://openrouter.ai        | llm-only:3128 LLM_PROXY
            LLM_PROXY   | http://llm-only:3128 | http://proxy.lan:4000        | llm-only:3128 LLM_PROXY
            """)
    void eachVariableAppliesToItsScheme(String variable, String value, String target, String expected) {
        assertThat(via(selector(variable, value), target)).isEqualTo(expected);
    }

    @Test
    void lowerCaseWinsOverUpperCaseAsInCurl() {
        EnvProxySelector s = selector(
                "HTTPS_PROXY",
                "http://upper:1",
                "https_proxy",
                "http://lower:2",
                "HTTP_PROXY",
                "http://upper:3",
                "http_proxy",
                "http://lower:4");
        assertThat(via(s, "https://openrouter.ai")).isEqualTo("lower:2 https_proxy");
        assertThat(via(s, "http://example.com")).isEqualTo("lower:4 http_proxy");
    }

    @Test
    void schemeSpecificVariableWinsOverAllProxy() {
        EnvProxySelector s = selector("ALL_PROXY", "http://all:1", "HTTPS_PROXY", "http://https:2");
        assertThat(via(s, "https://openrouter.ai")).isEqualTo("https:2 HTTPS_PROXY");
        assertThat(via(s, "http://example.com")).isEqualTo("all:1 ALL_PROXY");
    }

    @Test
    void llmProxyUrlReplacesTheOtherVariables() {
        EnvProxySelector s = selector("LLM_PROXY", "http://mine:9", "HTTPS_PROXY", "http://corp:1");
        assertThat(via(s, "https://openrouter.ai")).isEqualTo("mine:9 LLM_PROXY");
    }

    @Test
    void llmProxyNoneTurnsProxiesOff() {
        EnvProxySelector s = selector("LLM_PROXY", "none", "HTTPS_PROXY", "http://corp:1");
        assertThat(s.select(URI.create("https://openrouter.ai"))).containsExactly(Proxy.NO_PROXY);
        assertThat(s.route(URI.create("https://openrouter.ai")).reason()).isEqualTo("LLM_PROXY=none");
        assertThat(ProxySetup.fromSettings(Settings.of(Map.of("LLM_PROXY", "NONE", "HTTPS_PROXY", "http://corp:1")))
                        .route(URI.create("https://openrouter.ai"))
                        .isDirect())
                .isTrue();
    }

    @ParameterizedTest(name = "NO_PROXY={0}, {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            openrouter.ai              | https://openrouter.ai/api/v1     | DIRECT
            openrouter.ai              | https://api.openrouter.ai        | DIRECT
            .openrouter.ai             | https://openrouter.ai            | DIRECT
            .openrouter.ai             | https://api.openrouter.ai        | DIRECT
            *.openrouter.ai            | https://api.openrouter.ai        | DIRECT
            openrouter.ai              | https://notopenrouter.ai         | PROXY
            OpenRouter.AI              | https://openrouter.ai            | DIRECT
            *                          | https://openrouter.ai            | DIRECT
            'a.com, openrouter.ai '    | https://openrouter.ai            | DIRECT
            openrouter.ai:443          | https://openrouter.ai            | DIRECT
            openrouter.ai:8443         | https://openrouter.ai            | PROXY
            openrouter.ai:8443         | https://openrouter.ai:8443       | DIRECT
            10.1.2.3                   | https://10.1.2.3/v1              | DIRECT
            10.1.2.3                   | https://10.1.2.4/v1              | PROXY
            10.0.0.0/8                 | https://10.200.3.4/v1            | DIRECT
            10.0.0.0/8                 | https://11.0.0.1/v1              | PROXY
            192.168.1.0/24             | https://192.168.1.77             | DIRECT
            192.168.1.0/24             | https://192.168.2.77             | PROXY
            fd00::/8                   | https://[fd12:3456::1]/v1        | DIRECT
            fd00::/8                   | https://[fe80::1]/v1             | PROXY
            fd12:3456::1               | https://[fd12:3456::1]/v1        | DIRECT
            [fd12:3456::1]             | https://[fd12:3456::1]/v1        | DIRECT
            [fd12:3456::1]:8443        | https://[fd12:3456::1]:8443/v1   | DIRECT
            [fd12:3456::1]:8443        | https://[fd12:3456::1]/v1        | PROXY
            10.0.0.0/8                 | https://ten.example.com          | PROXY
            """)
    void noProxyForms(String noProxy, String target, String expected) {
        EnvProxySelector s = selector("HTTPS_PROXY", "http://corp:3128", "NO_PROXY", noProxy);
        assertThat(s.route(URI.create(target)).isDirect() ? "DIRECT" : "PROXY").isEqualTo(expected);
    }

    @Test
    void lowerCaseNoProxyWins() {
        EnvProxySelector s = selector("HTTPS_PROXY", "http://corp:3128", "NO_PROXY", "a.com", "no_proxy", "b.com");
        assertThat(via(s, "https://b.com")).isEqualTo("DIRECT");
        assertThat(via(s, "https://a.com")).isEqualTo("corp:3128 HTTPS_PROXY");
        assertThat(s.route(URI.create("https://b.com")).reason()).isEqualTo("no_proxy entry 'b.com'");
    }

    @ParameterizedTest
    @CsvSource({
        "http://localhost:4000",
        "http://127.0.0.1:4000",
        "http://127.9.9.9:4000",
        "http://[::1]:4000",
        "http://proxy.localhost:4000",
        "https://LOCALHOST"
    })
    void loopbackIsDirectByDefault(String target) {
        EnvProxySelector s = selector("ALL_PROXY", "http://corp:3128");
        ProxyRoute route = s.route(URI.create(target));
        assertThat(route.isDirect()).isTrue();
        assertThat(route.reason()).contains("loopback");
    }

    @Test
    void proxyLoopbackSendsLoopbackThroughTheProxy() {
        EnvProxySelector s = EnvProxySelector.builder()
                .settings(Settings.of(Map.of("ALL_PROXY", "http://corp:3128")))
                .proxyLoopback(true)
                .build();
        assertThat(via(s, "http://127.0.0.1:4000")).isEqualTo("corp:3128 ALL_PROXY");
        assertThat(s.select(URI.create("http://127.0.0.1:4000")))
                .containsExactly(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("corp", 3128)));
    }

    @Test
    void noVariablesMeansDirect() {
        EnvProxySelector s = selector();
        assertThat(s.hasProxies()).isFalse();
        assertThat(s.select(URI.create("https://openrouter.ai"))).containsExactly(Proxy.NO_PROXY);
        assertThat(ProxySetup.fromSettings(Settings.of(Map.of())).toString()).contains("JDK default");
    }

    @Test
    void credentialsComeFromTheProxyUrlDecodedAndAreNeverShown() {
        EnvProxySelector s = selector("HTTPS_PROXY", "http://alice:p%40ss+w0rd@corp:3128");
        PasswordAuthentication pw = s.credentialsFor("corp", 3128).orElseThrow();
        assertThat(pw.getUserName()).isEqualTo("alice");
        assertThat(new String(pw.getPassword())).isEqualTo("p@ss+w0rd");
        assertThat(s.credentialsFor("corp", 8080)).isEmpty();
        assertThat(s.credentialsFor("other", 3128)).isEmpty();
        ProxyRoute route = s.route(URI.create("https://openrouter.ai"));
        assertThat(route.hasCredentials()).isTrue();
        assertThat(route.toString()).isEqualTo("via proxy http://****@corp:3128 (HTTPS_PROXY)");
        assertThat(s.toString()).doesNotContain("p@ss", "p%40ss", "alice");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            HTTPS_PROXY | http://corp:port          | not a usable proxy URL
            https_proxy | https://corp:3128         | plain http only
            ALL_PROXY   | socks5://corp:1080        | SOCKS
            HTTP_PROXY  | http://:3128              | no host
            HTTP_PROXY  | http://corp:3128/path     | no path
            LLM_PROXY   | ftp://corp                | expected http
            NO_PROXY    | 10.0.0.0/33               | CIDR
            NO_PROXY    | host:99999                | port
            NO_PROXY    | a*b.com                   | expected a host
            """)
    void unusableValuesAreConfigurationErrorsNamingTheVariable(String variable, String value, String why) {
        Map<String, String> env = new HashMap<>(Map.of(variable, value));
        env.putIfAbsent("HTTPS_PROXY", "http://corp:3128");
        assertThatThrownBy(() -> EnvProxySelector.fromSettings(Settings.of(env)))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
                    assertThat(e.getMessage()).startsWith(variable).contains(why);
                });
    }

    @Test
    void badProxyUrlMessageMasksThePassword() {
        assertThatThrownBy(() -> selector("HTTPS_PROXY", "http://bob:hunter22@corp:notaport"))
                .hasMessageContaining("HTTPS_PROXY")
                .hasMessageNotContaining("hunter22");
    }

    @Test
    void explicitCredentialsAnswerForAnyProxyTheSelectorPicks() {
        ProxySetup setup =
                ProxySetup.of(selector("HTTPS_PROXY", "http://corp:3128")).withCredentials("u", "secret-pw");
        assertThat(setup.credentialsFor("corp", 3128)).isPresent();
        ProxyRoute route = setup.route(URI.create("https://openrouter.ai"));
        assertThat(route.hasCredentials()).isTrue();
        assertThat(route.proxyUrl()).isEqualTo("http://****@corp:3128");
        assertThat(setup.toString()).doesNotContain("secret-pw");
    }
}
