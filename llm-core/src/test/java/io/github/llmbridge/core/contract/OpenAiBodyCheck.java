package io.github.llmbridge.core.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Checks every chat-completions body a WireMock stub receives against OpenAI's published schema
 * ({@link OpenAiRequestSchema}) and fails the test that sent an invalid one. It is a WireMock
 * listener (it sees each {@code POST .../chat/completions} as it arrives, whatever the test later
 * resets) and a JUnit extension (after each test it fails on what it saw, then forgets it):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();     // declared before the server
 *
 * @RegisterExtension
 * static final WireMockExtension wm = WireMockExtension.newInstance()
 *         .options(wireMockConfig().dynamicPort().extensions(openAiBodies))
 *         .build();
 * }</pre>
 *
 * <p>Fields OpenAI does not define are not violations; {@link #unknownFields()} lists them. A
 * backend's own fields (LiteLLM's {@code metadata}) are left out with {@link #ownFields}. A test
 * that sends an invalid body on purpose says so with {@link #expectViolation}, which also fails if
 * the violation does not happen.
 */
public final class OpenAiBodyCheck implements ServeEventListener, AfterEachCallback {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One body that was checked. */
    public record Checked(String path, JsonNode body, List<String> violations, List<String> unknownFields) {}

    private final List<Checked> checked = new CopyOnWriteArrayList<>();
    private final List<String> expected = new CopyOnWriteArrayList<>();
    private volatile Set<String> ownFields = Set.of();

    /** Checks every field OpenAI defines. */
    public OpenAiBodyCheck() {}

    /**
     * Leaves out the top-level {@code fields} a backend gives a meaning of its own, from here on;
     * call it with none to check every field again.
     *
     * @return this check
     */
    public OpenAiBodyCheck ownFields(String... fields) {
        this.ownFields = Set.copyOf(Arrays.asList(fields));
        return this;
    }

    /**
     * Declares that the current test sends, on purpose, a body with a violation containing {@code
     * fragment}; the test then fails if no such violation arrives, and other violations still fail it.
     */
    public void expectViolation(String fragment) {
        expected.add(fragment);
    }

    @Override
    public String getName() {
        return "openai-request-body-check";
    }

    @Override
    public void beforeResponseSent(ServeEvent serveEvent, Parameters parameters) {
        LoggedRequest request = serveEvent.getRequest();
        String path = URI.create(request.getUrl()).getPath();
        if (!request.getMethod().getName().equals("POST") || path == null || !path.endsWith("/chat/completions")) {
            return;
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(request.getBodyAsString());
        } catch (Exception e) {
            checked.add(
                    new Checked(path, null, List.of("$: the body is not JSON (" + e.getMessage() + ")"), List.of()));
            return;
        }
        Set<String> own = ownFields;
        checked.add(new Checked(
                path, body, OpenAiRequestSchema.violations(body, own), OpenAiRequestSchema.unknownFields(body, own)));
    }

    /** Returns the bodies checked since the last test ended, in the order they arrived. */
    public List<Checked> checked() {
        return List.copyOf(checked);
    }

    /** Returns every violation seen since the last test ended, each prefixed with the request's path. */
    public List<String> violations() {
        List<String> all = new ArrayList<>();
        for (Checked c : checked) {
            c.violations().forEach(v -> all.add(c.path() + " " + v));
        }
        return all;
    }

    /** Returns the fields OpenAI does not define seen since the last test ended, without repeats. */
    public List<String> unknownFields() {
        return checked.stream()
                .flatMap(c -> c.unknownFields().stream())
                .distinct()
                .toList();
    }

    /** Fails the test that just ran if a body broke the schema (or an expected violation did not come). */
    @Override
    public void afterEach(ExtensionContext context) {
        List<String> violations = violations();
        List<String> expectations = List.copyOf(expected);
        checked.clear();
        expected.clear();
        List<String> unexpected = new ArrayList<>();
        for (String v : violations) {
            if (expectations.stream().noneMatch(v::contains)) {
                unexpected.add(v);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String e : expectations) {
            if (violations.stream().noneMatch(v -> v.contains(e))) {
                missing.add(e);
            }
        }
        if (!unexpected.isEmpty() || !missing.isEmpty()) {
            StringBuilder message = new StringBuilder(
                    "request bodies checked against OpenAI's schema (" + OpenAiRequestSchema.source() + ")");
            if (!unexpected.isEmpty()) {
                message.append("\nbroke it:\n  ").append(String.join("\n  ", unexpected));
            }
            if (!missing.isEmpty()) {
                message.append("\ndid not break it as the test expected:\n  ").append(String.join("\n  ", missing));
            }
            throw new AssertionError(message.toString());
        }
    }
}
