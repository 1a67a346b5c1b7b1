package io.github.llmbridge.core.internal.errors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.transport.ChatRequestJson;
import io.github.llmbridge.core.internal.transport.HttpCall;
import io.github.llmbridge.core.internal.transport.OpenAiHttpTransport;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How a backend's {@link ErrorDialect} takes part in error mapping: it sees the generic
 * classification with the status and parsed body, and its answer decides the category,
 * retryability and advice, for HTTP errors and for errors inside a 2xx reply alike. Core knows no
 * backend: without a dialect only the generic rules apply.
 */
class ErrorDialectTest {

    private static final String PATH = "/v1/chat/completions";
    private static final String MODEL = "acme/chat-model-1";
    /** A 402 whose metadata names a limit only the (made-up) Acme gateway knows. */
    private static final String PAUSED_402 = """
            {"error":{"code":402,"message":"Quota paused","metadata":{"limit_source":"acme_quota_paused"}}}""";

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    /** Acme's dialect: a paused quota is a short, retryable rate limit. */
    private static final ErrorDialect ACME =
            (generic, status, error) -> "acme_quota_paused".equals(error.metadataText("limit_source"))
                    ? new Classification(
                            ErrorCategory.RATE_LIMITED, true, ctx -> " - the quota of " + ctx.model() + " resumes soon")
                    : generic;

    @Test
    void withoutADialectOnlyTheGenericRulesApply() {
        replyWith(402, PAUSED_402);

        LlmException e = callFails(ErrorDialect.GENERIC);

        assertThat(e.category()).isEqualTo(ErrorCategory.INSUFFICIENT_CREDITS);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("Quota paused", "out of credits");
    }

    @Test
    void theDialectsClassificationDecidesCategoryRetryabilityAndAdvice() {
        replyWith(402, PAUSED_402);

        LlmException e = callFails(ACME);

        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.httpStatus()).hasValue(402);
        assertThat(e.getMessage())
                .contains("Quota paused", "the quota of " + MODEL + " resumes soon")
                .doesNotContain("out of credits");
    }

    @Test
    void theDialectAlsoRefinesAnErrorInsideASuccessfulReply() {
        replyWith(200, """
                {"id":"gen-1","choices":[{"index":0,"message":{"role":"assistant","content":"Half"},
                  "finish_reason":"error",
                  "error":{"code":402,"message":"Quota paused","metadata":{"limit_source":"acme_quota_paused"}}}]}""");

        LlmException e = callFails(ACME);

        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.partialContent()).contains("Half");
    }

    @Test
    void theDialectSeesTheGenericClassificationTheStatusAndTheParsedBody() {
        List<Object> seen = new ArrayList<>();
        ErrorDialect recording = (generic, status, error) -> {
            seen.addAll(List.of(generic.category(), generic.hint(), status, error.message(), error.code()));
            seen.add(error.metadataText("limit_source"));
            return generic;
        };
        replyWith(402, PAUSED_402);

        LlmException e = callFails(recording);

        assertThat(seen)
                .containsExactly(
                        ErrorCategory.INSUFFICIENT_CREDITS,
                        Hint.CREDITS,
                        402,
                        "Quota paused",
                        "402",
                        "acme_quota_paused");
        assertThat(e.category()).isEqualTo(ErrorCategory.INSUFFICIENT_CREDITS);
    }

    @Test
    void aDialectCanRewordAGenericHintAndKeepTheRest() {
        ErrorDialect ownWords = (generic, status, error) -> generic.hint() == Hint.BASE_URL
                ? generic.withHint(Hint.of(" - set ACME_URL to the gateway's root"))
                : generic;
        replyWith(404, """
                {"detail":"Not Found"}""");

        LlmException e = callFails(ownWords);

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage())
                .contains("set ACME_URL to the gateway's root")
                .doesNotContain("base URL");
    }

    // --- helpers ---

    private static void replyWith(int status, String body) {
        wm.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    /** Sends one chat call through a transport with the given dialect; returns what it failed with. */
    private static LlmException callFails(ErrorDialect dialect) {
        try (OpenAiHttpTransport transport = OpenAiHttpTransport.builder()
                .backend("acme")
                .errorDialect(dialect)
                .build()) {
            ChatRequest request =
                    ChatRequest.builder().model(MODEL).user("Say hi").build();
            CompletableFuture<ChatResponse> reply = transport.send(
                    HttpCall.of(URI.create(wm.baseUrl() + PATH), Map.of(), ChatRequestJson.write(request), request));
            Throwable thrown = catchThrowable(() -> reply.get(10, TimeUnit.SECONDS));
            assertThat(thrown)
                    .as("the call should fail")
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(LlmException.class);
            return (LlmException) thrown.getCause();
        }
    }
}
