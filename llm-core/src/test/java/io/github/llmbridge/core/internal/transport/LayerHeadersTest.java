package io.github.llmbridge.core.internal.transport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.internal.RequestHeaders;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Headers a layer adds to a request (trace context) reach the wire beside the backend's, which win. */
class LayerHeadersTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static ChatRequest request() {
        return ChatRequest.builder().model("acme/judge-1").user("hi").build();
    }

    @Test
    void aRequestWithoutLayerHeadersCarriesNone() {
        assertThat(RequestHeaders.of(request())).isEmpty();
    }

    @Test
    void layerHeadersSurviveCopiesForAttemptsAndBuilders() {
        ChatRequest traced = RequestHeaders.with(request(), Map.of("traceparent", TRACEPARENT));

        assertThat(RequestHeaders.of(traced.forAttempt("other/m", Duration.ofSeconds(5))))
                .containsEntry("traceparent", TRACEPARENT);
        assertThat(RequestHeaders.of(traced.toBuilder().temperature(0.0).build()))
                .containsEntry("traceparent", TRACEPARENT);
        assertThat(RequestHeaders.of(request())).as("the original is unchanged").isEmpty();
    }

    @Test
    void aLayerCannotSetTheHeadersTheBackendsOwn() {
        assertThatThrownBy(() -> RequestHeaders.with(request(), Map.of("Authorization", "Bearer x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Authorization");
        assertThatThrownBy(() -> RequestHeaders.with(request(), Map.of("tracestate", "a=b\r\nX: y")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line break");
    }

    @Test
    void theTransportSendsThemAndTheBackendsHeaderWinsAClash() throws Exception {
        wm.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                                + "\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}")));
        ChatRequest traced = RequestHeaders.with(request(), Map.of("traceparent", TRACEPARENT, "x-tag", "layer"));
        try (OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").build()) {
            transport
                    .sendChat(
                            URI.create(wm.baseUrl() + "/v1/chat/completions"),
                            Map.of("X-Tag", "backend"),
                            traced,
                            body -> {})
                    .get(10, TimeUnit.SECONDS);
        }

        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("traceparent", equalTo(TRACEPARENT))
                .withHeader("X-Tag", equalTo("backend")));
    }
}
