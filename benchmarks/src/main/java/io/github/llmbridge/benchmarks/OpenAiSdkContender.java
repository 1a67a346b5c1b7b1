package io.github.llmbridge.benchmarks;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.URI;

/**
 * (d) The official OpenAI Java SDK (OkHttp, synchronous client, one caller thread per concurrent
 * call, as in the peer comparison of benchmarks/README.md#earlier-measurements) pointed at the
 * stub, with OkHttp's idle connection pool sized to the concurrency so no call pays for a new
 * connection.
 */
final class OpenAiSdkContender implements Contender {

    @Override
    public String id() {
        return "d";
    }

    @Override
    public String label() {
        return "OpenAI Java SDK (OkHttp, sync)";
    }

    @Override
    public Driver open(URI stubBaseUrl, int concurrency) {
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(stubBaseUrl.resolve("/v1").toString())
                .apiKey(Payloads.API_KEY)
                .maxIdleConnections(Math.max(5, concurrency))
                .keepAliveDuration(java.time.Duration.ofMinutes(5)) // OkHttp's default, required with the pool size
                .build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(Payloads.MODEL)
                .addSystemMessage(Payloads.SYSTEM)
                .addUserMessage(Payloads.USER)
                .temperature(Payloads.TEMPERATURE)
                .maxTokens(Payloads.MAX_TOKENS)
                .build();
        return new Blocking() {
            @Override
            public String call() {
                ChatCompletion completion = client.chat().completions().create(params);
                if (completion.usage().orElseThrow().totalTokens() <= 0) {
                    throw new IllegalStateException("no usage in the reply");
                }
                return completion.choices().get(0).message().content().orElse(null);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}
