package io.github.llmbridge.core.judge;

import static io.github.llmbridge.core.judge.Judgements.MODEL;
import static io.github.llmbridge.core.judge.Judgements.alt;
import static io.github.llmbridge.core.judge.Judgements.reply;
import static io.github.llmbridge.core.judge.Judgements.textOnly;
import static io.github.llmbridge.core.judge.Judgements.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.contract.OpenAiRequestSchema;
import io.github.llmbridge.core.internal.transport.ChatRequestJson;
import io.github.llmbridge.core.judge.LabelScore.Source;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The logprob-weighted score: the arithmetic, where the answer is read, and what happens without logprobs. */
class LabelScoresTest {

    private static final ChatRequest JUDGE = ChatRequest.builder()
            .model(MODEL)
            .system("Rate the answer from 1 to 10. Reply with the number only.")
            .user("2 + 2 = 4")
            .temperature(0.0)
            .build();

    private static final LabelSet ONE_TO_TEN = LabelSet.range(1, 10);

    @Test
    void theScoreIsTheExpectedValueOverTheLabelsAtTheAnswerToken() {
        ScriptedChatClient judge = new ScriptedChatClient()
                .reply(reply(token(
                        "7",
                        0.5,
                        alt("7", 0.5),
                        alt("8", 0.2),
                        alt(" 7", 0.1),
                        alt("6", 0.1),
                        alt("The", 0.05),
                        alt("I", 0.05))));

        LabelScore s = LabelScores.score(judge, JUDGE, ONE_TO_TEN);

        // label probabilities at the answer token: 7 = 0.5 + 0.1 (" 7") = 0.6, 8 = 0.2, 6 = 0.1;
        // "The" and "I" are no label. Label mass = 0.6 + 0.2 + 0.1 = 0.9.
        // normalised: 7 = 0.6 / 0.9 = 2/3, 8 = 0.2 / 0.9 = 2/9, 6 = 0.1 / 0.9 = 1/9
        // score = 7 * 2/3 + 8 * 2/9 + 6 * 1/9 = (42 + 16 + 6) / 9 = 64/9 = 7.111...
        assertThat(s.score()).isCloseTo(64.0 / 9, within(1e-12));
        assertThat(s.labelMass()).hasValueCloseTo(0.9, within(1e-12));
        assertThat(s.distribution().get("7")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(s.distribution().get("8")).isCloseTo(2.0 / 9, within(1e-12));
        assertThat(s.distribution().get("6")).isCloseTo(1.0 / 9, within(1e-12));
        assertThat(s.distribution()).containsOnlyKeys(ONE_TO_TEN.labels());
        assertThat(s.distribution().keySet()).containsExactlyElementsOf(ONE_TO_TEN.labels());
        for (String zero : List.of("1", "2", "3", "4", "5", "9", "10")) {
            assertThat(s.distribution().get(zero)).as(zero).isZero();
        }
        assertThat(s.label()).isEqualTo("7");
        assertThat(s.labelValue()).isEqualTo(7.0);
        assertThat(s.source()).isEqualTo(Source.LOGPROBS);
        assertThat(s.answerTokenIndex()).hasValue(0);
        assertThat(s.response().model()).isEqualTo(MODEL);
    }

    @Test
    void theRequestIsSentWithLogprobsAndTwentyAlternativesWhenItSetsNeither() {
        ScriptedChatClient judge = new ScriptedChatClient().reply(reply(token("7", 1.0, alt("7", 1.0))));

        LabelScores.score(judge, JUDGE, ONE_TO_TEN);

        ChatRequest sent = judge.lastRequest();
        assertThat(sent.logprobs()).contains(true);
        assertThat(sent.topLogprobs()).hasValue(20);
        assertThat(sent.messages()).isEqualTo(JUDGE.messages());
        assertThat(sent.temperature()).hasValue(0.0);
        JsonNode body = ChatRequestJson.write(sent);
        assertThat(body.get("logprobs").asBoolean()).isTrue();
        assertThat(body.get("top_logprobs").asInt()).isEqualTo(20);
        OpenAiRequestSchema.assertValid(body);
    }

    @Test
    void theUsersOwnLogprobSettingsAreKept() {
        ChatRequest five = JUDGE.toBuilder().topLogprobs(5).build();
        assertThat(LabelScores.withLogprobs(five).topLogprobs()).hasValue(5);
        assertThat(LabelScores.withLogprobs(five).logprobs()).contains(true);

        ChatRequest off = JUDGE.toBuilder().logprobs(false).build();
        assertThat(LabelScores.withLogprobs(off)).isSameAs(off);

        ChatRequest onWithoutTop = JUDGE.toBuilder().logprobs(true).build();
        assertThat(LabelScores.withLogprobs(onWithoutTop).topLogprobs()).hasValue(20);
    }

    @Test
    void tokensBeforeTheAnswerAreSkippedEvenWhenTheirAlternativesHoldALabel() {
        // "**Score**: 8" — the first token could have been a number; the answer is the " 8".
        ChatResponse r = reply(
                token("**", 0.9, alt("**", 0.9), alt("7", 0.05)),
                token("Score", 0.99, alt("Score", 0.99)),
                token("**", 0.99),
                token(":", 0.99),
                token(" 8", 0.7, alt(" 8", 0.7), alt(" 9", 0.2), alt(" 7", 0.1)),
                token("**", 0.99));

        LabelScore s = LabelScores.read(r, ONE_TO_TEN);

        // at " 8": 8 = 0.7, 9 = 0.2, 7 = 0.1; mass 1.0; score = 5.6 + 1.8 + 0.7 = 8.1
        assertThat(s.answerTokenIndex()).hasValue(4);
        assertThat(s.score()).isCloseTo(8.1, within(1e-12));
        assertThat(s.labelMass()).hasValueCloseTo(1.0, within(1e-12));
        assertThat(s.label()).isEqualTo("8");
    }

    @Test
    void variantsOfALabelAreMergedAndCaseIsIgnoredByDefault() {
        ChatResponse r = reply(token(
                "Yes", 0.6, alt("Yes", 0.6), alt("No", 0.2), alt("yes", 0.1), alt(" Yes", 0.05), alt("no", 0.05)));

        LabelScore s = LabelScores.read(r, LabelSet.yesNo());

        // yes = 0.6 + 0.1 + 0.05 = 0.75, no = 0.2 + 0.05 = 0.25; mass 1.0; score = 1 * 0.75 + 0 * 0.25
        assertThat(s.distribution().get("yes")).isCloseTo(0.75, within(1e-12));
        assertThat(s.distribution().get("no")).isCloseTo(0.25, within(1e-12));
        assertThat(s.score()).isCloseTo(0.75, within(1e-12));
        assertThat(s.label()).isEqualTo("yes");
    }

    @Test
    void aCaseSensitiveSetMergesOnlyTheVariantsOfTheSameCase() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("Yes", 1.0);
        values.put("No", 0.0);
        LabelSet exact = LabelSet.of(values).caseSensitive(true);
        ChatResponse r = reply(token(
                "Yes", 0.6, alt("Yes", 0.6), alt("No", 0.2), alt("yes", 0.1), alt(" Yes", 0.05), alt("no", 0.05)));

        LabelScore s = LabelScores.read(r, exact);

        // Yes = 0.6 + 0.05 = 0.65, No = 0.2; mass 0.85; Yes = 0.65 / 0.85 = 13/17
        assertThat(s.labelMass()).hasValueCloseTo(0.85, within(1e-12));
        assertThat(s.score()).isCloseTo(13.0 / 17, within(1e-12));
    }

    @Test
    void theLabelMassSaysHowMuchOfTheModelsProbabilityTheScoreRestsOn() {
        ChatResponse r = reply(token("7", 0.3, alt("The", 0.5), alt("7", 0.3), alt("I", 0.2)));

        LabelScore s = LabelScores.read(r, ONE_TO_TEN);

        // only "7" is a label: mass 0.3, normalised 7 = 0.3 / 0.3 = 1, score 7
        assertThat(s.labelMass()).hasValueCloseTo(0.3, within(1e-12));
        assertThat(s.distribution().get("7")).isCloseTo(1.0, within(1e-12));
        assertThat(s.score()).isCloseTo(7.0, within(1e-12));
    }

    @Test
    void theSampledTokenCountsWhenTheAlternativesDoNotHoldIt() {
        // sampled at temperature > 0: "6" is outside the top 2 it came with
        ChatResponse r = reply(token("6", 0.1, alt("7", 0.6), alt("8", 0.3)));

        LabelScore s = LabelScores.read(r, ONE_TO_TEN);

        // mass = 0.6 + 0.3 + 0.1 = 1.0; score = 4.2 + 2.4 + 0.6 = 7.2
        assertThat(s.score()).isCloseTo(7.2, within(1e-12));
        assertThat(s.label()).isEqualTo("7");
    }

    @Test
    void withoutLogprobsTheFirstLabelInTheTextIsTheScoreAndTheResultSaysSo() throws Exception {
        ScriptedChatClient judge =
                new ScriptedChatClient().after(Duration.ofMillis(10)).reply("I'd say 8 out of 10.");

        LabelScore s = LabelScores.scoreAsync(judge, JUDGE, ONE_TO_TEN).get(10, TimeUnit.SECONDS);

        assertThat(s.source()).isEqualTo(Source.TEXT);
        assertThat(s.score()).isEqualTo(8.0);
        assertThat(s.label()).isEqualTo("8");
        assertThat(s.distribution().get("8")).isEqualTo(1.0);
        assertThat(s.distribution().get("10")).isZero();
        assertThat(s.labelMass()).isEmpty();
        assertThat(s.answerTokenIndex()).isEmpty();
    }

    @Test
    void theTextFallbackReadsWholeNumbersNotDigitsInsideThem() {
        assertThat(LabelScores.read(textOnly("Score: 10/10"), ONE_TO_TEN).label())
                .isEqualTo("10");
        assertThat(LabelScores.read(textOnly("**17** is out of range; 3"), ONE_TO_TEN)
                        .label())
                .isEqualTo("3");
        assertThat(LabelScores.read(textOnly("YES."), LabelSet.yesNo()).label()).isEqualTo("yes");
        assertThat(LabelScores.read(textOnly("Nothing wrong: yes"), LabelSet.yesNo())
                        .label())
                .as("'no' inside 'Nothing' is not the label")
                .isEqualTo("yes");
    }

    @Test
    void logprobsWithoutALabelTokenFallBackToTheText() {
        // the model wrote " 7/10" as one token, which is no label; the text still says 7
        ChatResponse r = reply(token("Rating", 0.9), token(" 7/10", 0.9, alt(" 7/10", 0.9)));

        LabelScore s = LabelScores.read(r, ONE_TO_TEN);

        assertThat(s.source()).isEqualTo(Source.TEXT);
        assertThat(s.label()).isEqualTo("7");
    }

    @Test
    void aReplyWithNoLabelAnywhereIsAnInvalidResponseKeepingTheReply() {
        ScriptedChatClient judge = new ScriptedChatClient().reply(reply(token("eight", 0.8, alt("eight", 0.8))));

        LlmException e = catchThrowableOfType(LlmException.class, () -> LabelScores.score(judge, JUDGE, ONE_TO_TEN));

        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(e.getMessage())
                .isEqualTo("the judge's reply holds none of the labels [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] (in its tokens"
                        + " or its text); reply began: eight");
        assertThat(e.partialContent()).contains("eight");
        assertThat(e.model()).isEqualTo(MODEL);
    }

    @Test
    void aReplyWithoutLogprobsOrALabelSaysNoLogprobsCame() {
        LlmException e = catchThrowableOfType(
                LlmException.class, () -> LabelScores.read(textOnly("I cannot judge this."), ONE_TO_TEN));

        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(e.getMessage()).contains("(no logprobs came with it)");
        assertThat(e.partialContent()).contains("I cannot judge this.");
    }

    @Test
    void aRefusalIsContentFilteredWithTheRefusalText() {
        ChatResponse refused = ChatResponse.builder()
                .model(MODEL)
                .backend("scripted")
                .choices(List.of(new Choice(
                        0,
                        ChatMessage.builder(ChatMessage.ASSISTANT)
                                .refusal("I can't help with grading this.")
                                .build(),
                        FinishReason.STOP)))
                .build();
        ScriptedChatClient judge = new ScriptedChatClient().reply(refused);

        LlmException e = catchThrowableOfType(LlmException.class, () -> LabelScores.score(judge, JUDGE, ONE_TO_TEN));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONTENT_FILTERED);
        assertThat(e.getMessage()).isEqualTo("the model acme/judge refused to answer: I can't help with grading this.");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void aReplyStoppedByTheContentFilterWithoutALabelIsContentFiltered() {
        ChatResponse filtered = ChatResponse.builder()
                .model(MODEL)
                .choices(List.of(new Choice(0, ChatMessage.assistant(""), FinishReason.CONTENT_FILTER)))
                .build();

        LlmException e = catchThrowableOfType(LlmException.class, () -> LabelScores.read(filtered, ONE_TO_TEN));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONTENT_FILTERED);
    }

    @Test
    void aLabelSplitIntoSeveralTokensIsReportedInsteadOfScoredAsItsFirstDigit() {
        // a tokenizer that splits digits writes "10" as "1", "0"
        ChatResponse r = reply(token("1", 0.7, alt("1", 0.7), alt("9", 0.2)), token("0", 0.99));

        LlmException e = catchThrowableOfType(LlmException.class, () -> LabelScores.read(r, ONE_TO_TEN));

        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).startsWith("label '10' came as several tokens (the first is '1')");
        // a label followed by punctuation is one token, and fine
        assertThat(LabelScores.read(reply(token(" 7", 0.9, alt(" 7", 0.9)), token(".", 0.9)), ONE_TO_TEN)
                        .score())
                .isEqualTo(7.0);
    }

    @Test
    void aFailOpenPlaceholderThrowsTheFailureBehindIt() {
        LlmException behind =
                LlmException.builder(ErrorCategory.RATE_LIMITED, "slow down").build();

        assertThatThrownBy(() ->
                        LabelScores.read(ChatResponse.builder().error(behind).build(), ONE_TO_TEN))
                .isSameAs(behind);
    }

    @Test
    void aRequestForSeveralChoicesIsRejected() {
        assertThatThrownBy(() -> LabelScores.withLogprobs(JUDGE.toBuilder().n(3).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a label score reads one answer: n must be unset or 1, was 3");
    }
}
