package io.github.llmbridge.core.testing;

import static io.github.llmbridge.core.settings.CoreVariables.MOCK_LATENCY_MS;
import static io.github.llmbridge.core.settings.CoreVariables.MOCK_REPLY;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Logprobs;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.internal.ChatChunks;
import io.github.llmbridge.core.internal.SharedScheduler;
import io.github.llmbridge.core.settings.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The {@code mock} backend: answers every request at once (or after a fixed latency) with a
 * canned reply, or echoes the last user message, so a trainer's pipeline runs end to end with no
 * network and no key. Select it with {@code LLM_BACKEND=mock}; {@code MOCK_REPLY} sets the canned
 * reply (e.g. {@code {"score": 5}}), {@code MOCK_LATENCY_MS} a delay. Deterministic: the same
 * request always gets the same reply.
 *
 * <p>It answers what the request asks for, as a provider would:
 *
 * <ul>
 *   <li>{@code n} choices, all alike;
 *   <li>with {@code logprobs}, each token certain (log probability 0), with itself as its one
 *       alternative when {@code topLogprobs} is above 0;
 *   <li>with {@code returnTokenIds}, the prompt's and each choice's token ids;
 *   <li>with tools, a call of one of them (see below), finish reason {@code tool_calls}.
 * </ul>
 *
 * A text is cut into tokens of four characters; a token's id is a hash of it, and the usage counts
 * the same tokens. The mock calls the function {@code toolChoice} names; with {@code required} the
 * first tool; with {@code auto} (or none given) the first tool unless the conversation ends with a
 * tool's result, which it answers in text; with {@code none} never. The call's arguments fill the
 * tool schema's required properties with placeholders ({@code ""}, 0, {@code false}, the first
 * enum value), so they bind to the tool's argument type and an agent loop runs to its end.
 *
 * <p>Built in code, it can refuse every request instead:
 * {@code MockChatClient.builder().refusal("I can't help with that.").build()}.
 */
public final class MockChatClient implements ChatClient {

    private final String cannedReply;
    private final String refusal;
    private final Duration latency;
    private final AtomicLong ids = new AtomicLong();

    /**
     * Creates a mock backend.
     *
     * @param cannedReply the reply to every request, or {@code null} to echo the last user message
     * @param latency     how long each reply takes
     */
    public MockChatClient(String cannedReply, Duration latency) {
        this(cannedReply, null, latency);
    }

    private MockChatClient(String cannedReply, String refusal, Duration latency) {
        this.cannedReply = cannedReply;
        this.refusal = refusal;
        this.latency = latency.isNegative() ? Duration.ZERO : latency;
    }

    /** Starts a builder: echo, no refusal, no latency. */
    public static Builder builder() {
        return new Builder();
    }

    /** Creates a mock backend from {@code MOCK_REPLY} and {@code MOCK_LATENCY_MS}. */
    public static MockChatClient fromSettings(Settings settings) {
        String reply = settings.get(MOCK_REPLY).orElse(null);
        int latencyMs = settings.get(MOCK_LATENCY_MS).isPresent() ? settings.positiveInt(MOCK_LATENCY_MS, 1) : 0;
        return new MockChatClient(reply, Duration.ofMillis(latencyMs));
    }

    @Override
    // the timer task only completes later (a no-op once the caller cancelled it); nothing waits on the task.
    @SuppressWarnings("FutureReturnValueIgnored")
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        ChatResponse response = answer(request);
        if (latency.isZero()) {
            return CompletableFuture.completedFuture(response);
        }
        CompletableFuture<ChatResponse> later = new CompletableFuture<>();
        SharedScheduler.runLater(() -> later.complete(response), latency.toNanos(), TimeUnit.NANOSECONDS);
        return later;
    }

    /**
     * Streams the reply: a plain text reply arrives token by token (the four-character tokens the
     * usage counts), then a chunk with the finish reason and the usage, after the latency; other
     * replies (tool calls, refusals, several choices, logprobs) arrive as one chunk. The assembled
     * reply is the one {@link #chatAsync} returns.
     */
    @Override
    // the timer task only completes later (a no-op once the caller cancelled it); nothing waits on the task.
    @SuppressWarnings("FutureReturnValueIgnored")
    public CompletableFuture<ChatResponse> streamAsync(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        ChatResponse response = answer(request);
        CompletableFuture<ChatResponse> result = new CompletableFuture<>();
        Runnable play = () -> {
            try {
                for (ChatChunk chunk : chunks(response)) {
                    if (result.isDone()) {
                        return; // cancelled
                    }
                    ChatChunks.deliver(onChunk, chunk);
                }
                result.complete(response);
            } catch (RuntimeException e) {
                result.completeExceptionally(LlmException.from(e));
            }
        };
        if (latency.isZero()) {
            play.run();
        } else {
            SharedScheduler.runLater(play, latency.toNanos(), TimeUnit.NANOSECONDS);
        }
        return result;
    }

    private static List<ChatChunk> chunks(ChatResponse response) {
        Choice only = response.choices().get(0);
        if (response.choices().size() != 1
                || !only.toolCalls().isEmpty()
                || only.refusal().isPresent()
                || only.logprobs().isPresent()) {
            return List.of(ChatChunks.whole(response));
        }
        List<ChatChunk> list = new ArrayList<>();
        for (String token : MockTokens.of(only.content())) {
            list.add(ChatChunk.builder()
                    .id(response.id())
                    .model(response.model())
                    .content(token)
                    .build());
        }
        list.add(ChatChunk.builder()
                .id(response.id())
                .model(response.model())
                .finishReason(only.finishReason())
                .usage(response.usage())
                .build());
        return list;
    }

    private ChatResponse answer(ChatRequest request) {
        Optional<ToolCall> call = refusal == null ? MockToolCall.of(request) : Optional.empty();
        String content = refusal != null || call.isPresent()
                ? ""
                : cannedReply != null ? cannedReply : "echo: " + lastUserMessage(request.messages());
        ChatMessage.Builder message = ChatMessage.builder(ChatMessage.ASSISTANT);
        if (!content.isEmpty()) {
            message.text(content);
        }
        call.ifPresent(message::toolCall);
        message.refusal(refusal);
        boolean logprobsAsked = request.logprobs().orElse(request.topLogprobs().isPresent());
        Logprobs logprobs = logprobsAsked
                ? MockTokens.logprobs(
                        content,
                        refusal == null ? "" : refusal,
                        request.topLogprobs().orElse(0))
                : null;
        boolean idsAsked = request.returnTokenIds().orElse(false);
        String generated = content
                + (refusal == null ? "" : refusal)
                + call.map(ToolCall::arguments).orElse("");
        TokenIds completionIds = idsAsked ? MockTokens.ids(generated) : null;
        FinishReason finish = call.isPresent() ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        ChatMessage built = message.build();
        int n = request.n().orElse(1);
        List<Choice> choices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            choices.add(new Choice(i, built, finish, logprobs, completionIds));
        }
        String prompt = MockTokens.prompt(request.messages());
        long promptTokens = MockTokens.of(prompt).size();
        long completionTokens = (long) n * MockTokens.of(generated).size();
        return ChatResponse.builder()
                .id("mock-" + ids.incrementAndGet())
                .model(request.model())
                .backend("mock")
                .choices(choices)
                .promptTokenIds(idsAsked ? MockTokens.ids(prompt) : null)
                .usage(new Usage(promptTokens, completionTokens, promptTokens + completionTokens, 0, 0))
                .latency(latency)
                .build();
    }

    private static String lastUserMessage(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role())) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    @Override
    public String backend() {
        return "mock";
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public String toString() {
        return "MockChatClient[" + (refusal != null ? "refusing" : cannedReply == null ? "echo" : "canned reply")
                + ", latency=" + latency.toMillis() + " ms]";
    }

    /** Builds a {@link MockChatClient}. */
    public static final class Builder {
        private String reply;
        private String refusal;
        private Duration latency = Duration.ZERO;

        private Builder() {}

        /** Sets the reply to every request ({@code null}: echo the last user message). */
        public Builder reply(String reply) {
            this.reply = reply;
            return this;
        }

        /** Makes every reply a refusal with this text ({@code null}: answer). */
        public Builder refusal(String refusal) {
            this.refusal = refusal;
            return this;
        }

        /** Sets how long each reply takes. */
        public Builder latency(Duration latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        /** Returns the mock backend. */
        public MockChatClient build() {
            return new MockChatClient(reply, refusal, latency);
        }
    }
}
