package io.github.llmbridge.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ReasoningEffort;
import io.github.llmbridge.core.internal.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * OpenRouter's routing and reasoning options as typed values, written as the body fields
 * {@code models}, {@code provider}, {@code transforms} and {@code reasoning}. Apply them to one
 * request, or give them to the client as defaults for every request:
 *
 * <pre>{@code
 * OpenRouterOptions routing = OpenRouterOptions.builder()
 *     .providerOrder("openai", "azure").allowFallbacks(false).sort(OpenRouterOptions.Sort.THROUGHPUT)
 *     .build();
 * ChatRequest judge = routing.applyTo(ChatRequest.builder().model("openai/gpt-4o-mini").user(prompt)).build();
 * }</pre>
 *
 * <p>Only the options that are set are written. Anything OpenRouter accepts that has no setter
 * here ({@code route}, {@code provider.quantizations}, {@code usage}, ...) goes through
 * {@link ChatRequest.Builder#extraBody(String, Object)}; an {@code extraBody} field replaces the
 * whole field of the same name written here.
 *
 * <p><b>Fallback models.</b> {@link Builder#models(String...)} is an explicit choice of OpenRouter's
 * own fallback: one HTTP call, OpenRouter tries the listed models in order. It is different from
 * {@link ChatRequest#fallbackModels()}, which the library's resilience layer handles (each model
 * with its own retries); do not use both for the same call.
 */
public final class OpenRouterOptions {

    /**
     * How OpenRouter orders a model's providers ({@code provider.sort}). An open set: OpenRouter
     * adds values ({@code exacto} came after the first three), so besides the constants
     * {@link #of(String)} sends any value as given.
     */
    public static final class Sort {
        /** Cheapest first. */
        public static final Sort PRICE = new Sort("price");
        /** Highest tokens per second first. */
        public static final Sort THROUGHPUT = new Sort("throughput");
        /** Lowest time to first token first. */
        public static final Sort LATENCY = new Sort("latency");
        /** Quality first: providers with stronger tool-calling quality signals first (the {@code :exacto} variant). */
        public static final Sort EXACTO = new Sort("exacto");

        private final String wire;

        private Sort(String wire) {
            this.wire = wire;
        }

        /**
         * Returns the sort with this wire value, known or not.
         *
         * @throws IllegalArgumentException when the value is blank
         */
        public static Sort of(String wireValue) {
            return new Sort(openValue(wireValue, "sort"));
        }

        /** Returns the value sent on the wire. */
        public String wireValue() {
            return wire;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sort other && wire.equals(other.wire);
        }

        @Override
        public int hashCode() {
            return wire.hashCode();
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /** Whether providers that may store or train on prompts are allowed ({@code provider.data_collection}). */
    public enum DataCollection {
        /** Any provider (OpenRouter's default). */
        ALLOW("allow"),
        /** Only providers that do not store or train on inputs. */
        DENY("deny");

        private final String wire;

        DataCollection(String wire) {
            this.wire = wire;
        }

        /** Returns the value sent on the wire. */
        public String wireValue() {
            return wire;
        }
    }

    private static String openValue(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " must not be blank");
        }
        return value.strip();
    }

    private static final OpenRouterOptions NONE = builder().build();

    private final Map<String, JsonNode> fields;

    private OpenRouterOptions(Map<String, JsonNode> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    /** Starts a builder with no option set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns options that set nothing. */
    public static OpenRouterOptions none() {
        return NONE;
    }

    /** Returns whether no option is set. */
    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * Returns the body fields these options write ({@code models}, {@code provider},
     * {@code transforms}, {@code reasoning}, those that are set), as fresh JSON the caller may modify.
     */
    public Map<String, JsonNode> bodyFields() {
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        fields.forEach((name, value) -> copy.put(name, value.deepCopy()));
        return copy;
    }

    /** Returns these options as one JSON object, e.g. {@code {"provider": {"sort": "price"}}}. */
    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        fields.forEach((name, value) -> json.set(name, value.deepCopy()));
        return json;
    }

    /**
     * Adds these options to a request as {@code extraBody} fields, replacing any of the same name.
     *
     * @return the same builder, for chaining
     */
    public ChatRequest.Builder applyTo(ChatRequest.Builder request) {
        fields.forEach((name, value) -> request.extraBody(name, value));
        return request;
    }

    /** Returns whether these options write the given body field. */
    boolean writes(String field) {
        return fields.containsKey(field);
    }

    /** Adds every field of these options the body does not have yet; the body's own fields win. */
    void addMissingTo(ObjectNode body) {
        fields.forEach((name, value) -> {
            if (!body.has(name)) {
                body.set(name, value.deepCopy());
            }
        });
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpenRouterOptions other && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    /** Shows the JSON these options write. */
    @Override
    public String toString() {
        return "OpenRouterOptions" + toJson();
    }

    /** Builds {@link OpenRouterOptions}; {@link #build()} validates them. */
    public static final class Builder {
        private List<String> models;
        private List<String> order;
        private List<String> only;
        private List<String> ignore;
        private Boolean allowFallbacks;
        private Boolean requireParameters;
        private DataCollection dataCollection;
        private Sort sort;
        private Double maxPromptPrice;
        private Double maxCompletionPrice;
        private List<String> transforms;
        private ReasoningEffort reasoningEffort;
        private Integer reasoningMaxTokens;
        private Boolean reasoningExclude;

        private Builder() {}

        /**
         * Sets OpenRouter's native fallback list ({@code models}): the models to try in order within
         * one HTTP call; the reply's {@code model} says which answered. Each id needs its provider
         * prefix. See the class comment for how this differs from {@link ChatRequest#fallbackModels()}.
         */
        @SuppressWarnings("InvalidParam") // {@code model} names the reply's JSON field, not a misspelt parameter
        public Builder models(String... models) {
            return models(List.of(models));
        }

        /** Sets OpenRouter's native fallback list ({@code models}); see {@link #models(String...)}. */
        public Builder models(List<String> models) {
            this.models = copy(models, "models");
            return this;
        }

        /** Sets the providers to try first, in order ({@code provider.order}), e.g. {@code "openai", "azure"}. */
        public Builder providerOrder(String... providers) {
            this.order = copy(List.of(providers), "providerOrder");
            return this;
        }

        /** Sets the only providers allowed ({@code provider.only}). */
        public Builder providerOnly(String... providers) {
            this.only = copy(List.of(providers), "providerOnly");
            return this;
        }

        /** Sets providers never to use ({@code provider.ignore}). */
        public Builder providerIgnore(String... providers) {
            this.ignore = copy(List.of(providers), "providerIgnore");
            return this;
        }

        /**
         * Sets whether OpenRouter may use providers beyond {@link #providerOrder} when those fail
         * ({@code provider.allow_fallbacks}; OpenRouter's default is {@code true}).
         */
        public Builder allowFallbacks(boolean allowFallbacks) {
            this.allowFallbacks = allowFallbacks;
            return this;
        }

        /**
         * Sets whether only providers supporting every request parameter may serve the call
         * ({@code provider.require_parameters}); otherwise unsupported parameters are silently ignored.
         */
        public Builder requireParameters(boolean requireParameters) {
            this.requireParameters = requireParameters;
            return this;
        }

        /** Sets whether providers that store or train on prompts are allowed ({@code provider.data_collection}). */
        public Builder dataCollection(DataCollection dataCollection) {
            this.dataCollection = Objects.requireNonNull(dataCollection, "dataCollection");
            return this;
        }

        /** Sets how providers are ordered when no {@link #providerOrder} is given ({@code provider.sort}). */
        public Builder sort(Sort sort) {
            this.sort = Objects.requireNonNull(sort, "sort");
            return this;
        }

        /**
         * Sets the highest price a provider may charge ({@code provider.max_price}), in US dollars
         * per million prompt and completion tokens; providers above it are skipped.
         */
        public Builder maxPrice(double promptPerMillionTokens, double completionPerMillionTokens) {
            this.maxPromptPrice = promptPerMillionTokens;
            this.maxCompletionPrice = completionPerMillionTokens;
            return this;
        }

        /**
         * Sets the prompt transforms ({@code transforms}), e.g. {@code "middle-out"}; with no
         * argument it sends {@code []}, which turns OpenRouter's default transforms off.
         */
        public Builder transforms(String... transforms) {
            this.transforms = copy(List.of(transforms), "transforms");
            return this;
        }

        /** Sets the reasoning effort ({@code reasoning.effort}); not together with {@link #reasoningMaxTokens}. */
        public Builder reasoningEffort(ReasoningEffort effort) {
            this.reasoningEffort = Objects.requireNonNull(effort, "reasoningEffort");
            return this;
        }

        /** Sets the reasoning token budget ({@code reasoning.max_tokens}); not together with {@link #reasoningEffort}. */
        public Builder reasoningMaxTokens(int maxTokens) {
            this.reasoningMaxTokens = maxTokens;
            return this;
        }

        /**
         * Sets whether the model's reasoning is left out of the reply ({@code reasoning.exclude});
         * the model still reasons, and the tokens are still billed.
         */
        public Builder reasoningExclude(boolean exclude) {
            this.reasoningExclude = exclude;
            return this;
        }

        /**
         * Validates and returns the options.
         *
         * @throws IllegalArgumentException naming the option when a model id lacks its provider
         *                                  prefix, the models list is empty, a price is negative,
         *                                  a reasoning budget is below 1, or both reasoning effort
         *                                  and budget are set
         */
        public OpenRouterOptions build() {
            if (models != null) {
                if (models.isEmpty()) {
                    throw new IllegalArgumentException(
                            "models needs at least one model id, e.g. models(\"openai/gpt-4o-mini\")");
                }
                for (String model : models) {
                    ModelIds.problem(model, "models: model id").ifPresent(problem -> {
                        throw new IllegalArgumentException(problem);
                    });
                }
            }
            if (maxPromptPrice != null && (!(maxPromptPrice >= 0) || !(maxCompletionPrice >= 0))) {
                throw new IllegalArgumentException("maxPrice must not be negative, was prompt " + maxPromptPrice
                        + ", completion " + maxCompletionPrice);
            }
            if (reasoningEffort != null && reasoningMaxTokens != null) {
                throw new IllegalArgumentException(
                        "set reasoningEffort or reasoningMaxTokens, not both:" + " OpenRouter accepts one of them");
            }
            if (reasoningMaxTokens != null && reasoningMaxTokens < 1) {
                throw new IllegalArgumentException("reasoningMaxTokens must be at least 1, was " + reasoningMaxTokens);
            }
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            if (models != null) {
                fields.put("models", array(models));
            }
            ObjectNode provider = provider();
            if (!provider.isEmpty()) {
                fields.put("provider", provider);
            }
            if (transforms != null) {
                fields.put("transforms", array(transforms));
            }
            ObjectNode reasoning = reasoning();
            if (!reasoning.isEmpty()) {
                fields.put("reasoning", reasoning);
            }
            return new OpenRouterOptions(fields);
        }

        private ObjectNode provider() {
            ObjectNode p = Json.MAPPER.createObjectNode();
            if (order != null) {
                p.set("order", array(order));
            }
            if (only != null) {
                p.set("only", array(only));
            }
            if (ignore != null) {
                p.set("ignore", array(ignore));
            }
            if (allowFallbacks != null) {
                p.put("allow_fallbacks", allowFallbacks);
            }
            if (requireParameters != null) {
                p.put("require_parameters", requireParameters);
            }
            if (dataCollection != null) {
                p.put("data_collection", dataCollection.wireValue());
            }
            if (sort != null) {
                p.put("sort", sort.wireValue());
            }
            if (maxPromptPrice != null) {
                p.putObject("max_price").put("prompt", maxPromptPrice).put("completion", maxCompletionPrice);
            }
            return p;
        }

        private ObjectNode reasoning() {
            ObjectNode r = Json.MAPPER.createObjectNode();
            if (reasoningEffort != null) {
                r.put("effort", reasoningEffort.wireValue());
            }
            if (reasoningMaxTokens != null) {
                r.put("max_tokens", reasoningMaxTokens);
            }
            if (reasoningExclude != null) {
                r.put("exclude", reasoningExclude);
            }
            return r;
        }

        private static ArrayNode array(List<String> values) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            values.forEach(array::add);
            return array;
        }

        private static List<String> copy(List<String> values, String option) {
            List<String> copy = new ArrayList<>(values.size());
            for (String value : values) {
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException(option + " must not contain a blank or null entry");
                }
                copy.add(value);
            }
            return List.copyOf(copy);
        }
    }
}
