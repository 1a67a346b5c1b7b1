package io.github.llmbridge.litellm;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.transport.ReplyDetailsJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads back what a LiteLLM proxy moved into {@code provider_specific_fields}. LiteLLM rebuilds
 * every upstream reply into its own response type: a choice field it does not model (vLLM's
 * {@code token_ids}) lands in {@code choices[].provider_specific_fields}, and a message field it
 * does not model ({@code refusal}, OpenRouter's {@code reasoning_details}) in
 * {@code choices[].message.provider_specific_fields} (LiteLLM's
 * {@code convert_to_model_response_object}). Top-level fields such as {@code prompt_token_ids}
 * stay where they were. A value in its standard place always wins.
 */
final class ProviderSpecificFields {

    private static final String FIELD = "provider_specific_fields";

    private ProviderSpecificFields() {}

    /** Returns the response with the moved fields read back, or the response itself when none moved. */
    static ChatResponse lift(ChatResponse response) {
        JsonNode rawChoices = response.raw().path("choices");
        List<Choice> choices = response.choices();
        if (!rawChoices.isArray() || rawChoices.size() != choices.size()) {
            return response;
        }
        List<Choice> lifted = new ArrayList<>(choices.size());
        boolean changed = false;
        for (int i = 0; i < choices.size(); i++) {
            Optional<Choice> read = lift(choices.get(i), rawChoices.get(i));
            changed |= read.isPresent();
            lifted.add(read.orElse(choices.get(i)));
        }
        return changed ? response.toBuilder().choices(lifted).build() : response;
    }

    /** Returns the choice with its moved fields read back, empty when none moved. */
    private static Optional<Choice> lift(Choice choice, JsonNode raw) {
        JsonNode choiceFields = Json.object(raw, FIELD);
        JsonNode messageFields = Json.object(Json.object(raw, "message"), FIELD);
        Optional<TokenIds> tokenIds = choice.tokenIds().isPresent() || choiceFields == null
                ? Optional.empty()
                : Optional.ofNullable(ReplyDetailsJson.tokenIds(choiceFields, "token_ids"));
        Optional<ChatMessage> message =
                messageFields == null ? Optional.empty() : lift(choice.message(), messageFields);
        if (tokenIds.isEmpty() && message.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Choice(
                choice.index(),
                message.orElse(choice.message()),
                choice.finishReason(),
                choice.logprobs().orElse(null),
                tokenIds.or(choice::tokenIds).orElse(null)));
    }

    /** Returns the message with its moved fields read back, empty when none moved. */
    private static Optional<ChatMessage> lift(ChatMessage message, JsonNode fields) {
        ChatMessage.Builder b = null;
        String refusal = Json.text(fields, "refusal");
        if (message.refusal().isEmpty() && refusal != null) {
            b = message.toBuilder().refusal(refusal);
        }
        String reasoning = Json.text(fields, "reasoning");
        if (message.reasoning().isEmpty() && reasoning != null) {
            b = (b == null ? message.toBuilder() : b).reasoning(reasoning);
        }
        JsonNode details = fields.get("reasoning_details");
        if (message.reasoningDetails().isEmpty() && details != null && details.isArray()) {
            b = (b == null ? message.toBuilder() : b).reasoningDetails(details);
        }
        return b == null ? Optional.empty() : Optional.of(b.build());
    }
}
