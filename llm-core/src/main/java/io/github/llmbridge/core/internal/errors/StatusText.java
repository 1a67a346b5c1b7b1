package io.github.llmbridge.core.internal.errors;

/** Reason phrases for the statuses LLM gateways send, so messages read "HTTP 429 Too Many Requests". */
public final class StatusText {

    private StatusText() {}

    /** Returns e.g. {@code "429 Too Many Requests"}, or just the number for unusual statuses. */
    public static String describe(int status) {
        String text = phrase(status);
        return text.isEmpty() ? Integer.toString(status) : status + " " + text;
    }

    private static String phrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }
}
