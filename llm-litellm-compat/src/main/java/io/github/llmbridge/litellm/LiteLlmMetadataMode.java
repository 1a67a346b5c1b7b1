package io.github.llmbridge.litellm;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.util.Locale;

/**
 * Where {@link LiteLlmChatClient} puts a call's session and metadata ({@code LITELLM_METADATA_MODE}).
 * The metadata is the current {@link io.github.llmbridge.core.LlmSession}'s merged metadata, its
 * name as {@code session_name} and its uid chain as {@code session_uids} (outer to inner), with the
 * request's own {@code metadata} merged over them (the request's keys win).
 */
public enum LiteLlmMetadataMode {

    /**
     * The default, for a stock LiteLLM proxy: the metadata goes into the body's {@code metadata}
     * object, and the session name also into the top-level {@code litellm_session_id}, which
     * groups the calls of one session in LiteLLM's logs.
     */
    BODY,

    /**
     * For the proxy rLLM runs for training: the metadata travels in the URL, as rLLM's SDK sends it,
     * {@code <proxy>/meta/rllm1:<urlsafe base64 of compact key-sorted JSON>/v1/chat/completions};
     * the proxy strips the two segments and merges the JSON into the body's {@code metadata}.
     * A call with neither a session nor metadata goes to the plain URL.
     */
    RLLM,

    /** Nothing is added: neither the session nor the request's {@code metadata} is sent. */
    NONE;

    /**
     * Parses {@code body}, {@code rllm} or {@code none} in any case.
     *
     * @param source the variable or builder method the value came from, for the message
     * @throws LlmException category configuration for any other value
     */
    public static LiteLlmMetadataMode parse(String value, String source) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "body" -> BODY;
            case "rllm" -> RLLM;
            case "none" -> NONE;
            default ->
                throw new LlmException(
                        ErrorCategory.CONFIGURATION, source + " must be body, rllm or none, was '" + value + "'");
        };
    }
}
