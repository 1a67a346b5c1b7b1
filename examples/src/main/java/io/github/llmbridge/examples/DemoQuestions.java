package io.github.llmbridge.examples;

import java.util.List;

/** The demo's questions, each with three candidate responses of mixed quality, as a policy might sample them. */
final class DemoQuestions {

    record Question(String text, List<String> responses) {}

    static final List<Question> ALL = List.of(
            new Question(
                    "What is 17 * 3?",
                    List.of("51", "17 * 3 = 41", "It is 51, because 17 * 3 = 10 * 3 + 7 * 3 = 30 + 21.")),
            new Question(
                    "What is the capital of Australia?",
                    List.of("Canberra", "Sydney, the largest city.", "The capital is Canberra, not Sydney.")),
            new Question(
                    "Name a prime number greater than 10.",
                    List.of("13", "15", "11 is prime: its only divisors are 1 and 11.")),
            new Question(
                    "Who wrote 'Pride and Prejudice'?",
                    List.of("Jane Austen", "Charlotte Bronte", "Jane Austen wrote it; it was published in 1813.")));

    private DemoQuestions() {}
}
