package io.github.llmbridge.litellm;

/**
 * What the proxy's {@code GET /health/readiness} said, read loosely: LiteLLM versions differ in
 * the fields they send, so a field it did not send reads as {@code ""}.
 *
 * @param ready      whether the proxy answered 2xx and did not call itself unhealthy
 * @param httpStatus the HTTP status, 0 when the proxy could not be reached
 * @param status     the reply's {@code status}, e.g. {@code healthy}
 * @param db         the reply's {@code db}, e.g. {@code connected} or {@code Not connected}
 * @param version    the reply's {@code litellm_version}
 * @param detail     why the proxy is not ready (its {@code detail}, or the connection failure); {@code ""} when ready
 */
public record ServerReadiness(boolean ready, int httpStatus, String status, String db, String version, String detail) {}
