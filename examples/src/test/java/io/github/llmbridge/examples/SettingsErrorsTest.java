package io.github.llmbridge.examples;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.ChatClients;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every configuration variable, given a bad value, fails {@code fromEnv} with a CONFIGURATION
 * error that names the variable: bad integers, negative or zero timeouts, malformed URLs and
 * proxies, an unknown backend. Run with both backends on the classpath, as a trainer would.
 */
class SettingsErrorsTest {

    @ParameterizedTest(name = "{0}={1} ({2})")
    @CsvSource(delimiter = '|', textBlock = """
            LLM_BACKEND                     | openai              | litellm
            USE_OPENROUTER_DIRECT           | yes please          | litellm
            OPENROUTER_BASE_URL             | openrouter.ai/api   | openrouter
            OPENROUTER_BASE_URL             | https://x:99999/v1  | openrouter
            OPENAI_API_BASE                 | ftp://x             | openrouter
            OPENROUTER_MAX_CONCURRENT_CALLS | ten                 | openrouter
            OPENROUTER_MAX_CONCURRENT_CALLS | 0                   | openrouter
            OPENROUTER_TITLE                | RL – trainer        | openrouter
            LITELLM_PROXY_URL               | localhost:4000      | litellm
            LITELLM_PROXY_URL               | http://           | litellm
            LITELLM_MAX_CONCURRENT_CALLS    | -1                  | litellm
            LITELLM_METADATA_MODE           | url                 | litellm
            LITELLM_KEY_HEADER              | X-Api-Key           | litellm
            LITELLM_NUM_RETRIES             | -2                  | litellm
            LLM_TIMEOUT_SECONDS             | -5                  | litellm
            LLM_TIMEOUT_SECONDS             | 0                   | openrouter
            LLM_TIMEOUT_SECONDS             | 0.0000000001        | litellm
            LITELLM_DEFAULT_TIMEOUT         | ten minutes         | litellm
            LLM_MAX_ATTEMPTS                | 2.5                 | litellm
            LLM_ATTEMPT_TIMEOUT_SECONDS     | -1                  | openrouter
            LLM_BACKOFF_BASE_SECONDS        | soon                | litellm
            LLM_BACKOFF_MAX_SECONDS         | 0                   | litellm
            LLM_FAIL_OPEN                   | sometimes           | litellm
            LLM_MAX_WAITING_CALLS           | 1e6                 | litellm
            LLM_MAX_RESPONSE_BYTES          | 99999999999         | litellm
            LLM_PROXY                       | socks5://corp:1080  | litellm
            HTTPS_PROXY                     | http://corp:port    | openrouter
            https_proxy                     | https://corp:3128   | openrouter
            HTTP_PROXY                      | http://corp/path    | litellm
            ALL_PROXY                       | ://                 | litellm
            NO_PROXY                        | 10.0.0.0/99         | litellm
            no_proxy                        | *foo                | litellm
            """)
    void badValueIsAConfigurationErrorNamingTheVariable(String variable, String value, String backend) {
        Map<String, String> env = new HashMap<>();
        env.put("LLM_BACKEND", backend);
        env.put("OPENROUTER_API_KEY", "sk-or-v1-test-0123456789");
        env.put(variable, value);
        assertThatThrownBy(() -> ChatClients.fromEnv(env).close()).isInstanceOfSatisfying(LlmException.class, e -> {
            org.assertj.core.api.Assertions.assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
            org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains(variable);
        });
    }
}
