package io.logitrouter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

    private static final List<String> NAMES = List.of(
            "scoring.input", "scoring.dead-letter", "a", "A_b-C.9", "__consumer_offsets", "...", ".a", "a..",
            "", ".", "..", "spam topic", "spam/topic", "spam:topic", "spam,topic", "späm", "t".repeat(249),
            "t".repeat(250), "tab\tname", "new\nline");

    @Test
    void problemAgreesWithKafkaTopicValidation() {
        for (String name : NAMES) {
            assertEquals(Topic.isValid(name), TopicNames.problem(name).isEmpty(), "topic name <" + name + ">");
        }
    }

    @Test
    void collideComparesDotsAndUnderscores() {
        assertTrue(TopicNames.collide("out.spam", "out_spam"));
        assertTrue(TopicNames.collide("a.b_c", "a_b.c"));
        assertFalse(TopicNames.collide("out.spam", "out.spam"));
        assertFalse(TopicNames.collide("out.spam", "out-spam"));
    }

    @Test
    void collideAgreesWithKafka() {
        List<List<String>> pairs = List.of(
                List.of("out.spam", "out_spam"), List.of("a.b_c", "a_b.c"), List.of("out.spam", "out-spam"),
                List.of("x", "y"));

        for (List<String> pair : pairs) {
            assertEquals(Topic.hasCollision(pair.get(0), pair.get(1)), TopicNames.collide(pair.get(0), pair.get(1)),
                    pair.toString());
        }
    }
}
