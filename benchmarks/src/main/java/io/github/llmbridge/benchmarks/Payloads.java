package io.github.llmbridge.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatRequest;
import java.nio.charset.StandardCharsets;

/**
 * The one judge call every contender makes: the same model, messages and parameters, and the
 * same ~1 KB chat-completion reply from the stub.
 */
final class Payloads {

    static final String MODEL = "openai/gpt-4o-mini";
    static final String API_KEY = "sk-bench-0123456789";
    static final String SYSTEM = "You are a strict grader. Score the answer from 0 to 10 for correctness, completeness"
            + " and clarity. Reply with {\"score\": n, \"reason\": \"...\"} and nothing else.";
    static final String USER = "Question: What is the capital of Australia?\nAnswer: "
            + "The capital of Australia is Canberra, chosen as a compromise between Sydney and Melbourne. ".repeat(3);
    static final double TEMPERATURE = 0.0;
    static final int MAX_TOKENS = 800;

    /** The reply the stub sends, about 1 KB, shaped like OpenAI's (every field the SDK knows). */
    static final byte[] REPLY = reply().getBytes(StandardCharsets.UTF_8);

    private Payloads() {}

    /** The request as LLM Bridge users write it. */
    static ChatRequest bridgeRequest() {
        return ChatRequest.builder()
                .model(MODEL)
                .system(SYSTEM)
                .user(USER)
                .temperature(TEMPERATURE)
                .maxTokens(MAX_TOKENS)
                .build();
    }

    /** The request body as the raw client writes it, per call (as any caller must). */
    static ObjectNode rawBody(ObjectMapper mapper) {
        ObjectNode body = mapper.createObjectNode().put("model", MODEL);
        body.putArray("messages")
                .add(mapper.createObjectNode().put("role", "system").put("content", SYSTEM))
                .add(mapper.createObjectNode().put("role", "user").put("content", USER));
        return body.put("temperature", TEMPERATURE).put("max_tokens", MAX_TOKENS);
    }

    private static String reply() {
        String content = "{\"score\": 8, \"reason\": \""
                + "Correct: Canberra is the capital; the compromise between Sydney and Melbourne is accurate. "
                        .repeat(6)
                + "\"}";
        String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion\","
                + "\"created\":1741569952,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + escaped + "\",\"refusal\":null,"
                + "\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":96,"
                + "\"completion_tokens\":132,\"total_tokens\":228,\"prompt_tokens_details\":{\"cached_tokens\":0,"
                + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"service_tier\":\"default\","
                + "\"system_fingerprint\":\"fp_06737a9306\"}";
    }
}
