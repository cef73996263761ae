package io.logitrouter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CloseMatchesTest {

    @Test
    void editDistanceCountsEdits() {
        assertEquals(0, CloseMatches.editDistance("port", "port"));
        assertEquals(1, CloseMatches.editDistance("prot", "port"));
        assertEquals(1, CloseMatches.editDistance("spamm", "spam"));
        assertEquals(4, CloseMatches.editDistance("", "port"));
        assertEquals(3, CloseMatches.editDistance("kitten", "sitting"));
    }

    @Test
    void findReturnsOnlyClosest() {
        List<String> candidates = List.of("SCORING_EMBEDDED", "SCORING_EMBEDDED_DIR", "SCORING_EMBEDDED_PORT");

        assertEquals(List.of("SCORING_EMBEDDED_PORT"), CloseMatches.find("SCORING_EMBEDED_PORT", candidates));
    }

    @Test
    void findReturnsTiesAlphabetically() {
        assertEquals(List.of("bat", "car", "hat"), CloseMatches.find("cat", List.of("hat", "dog", "car", "bat")));
    }

    @Test
    void findReturnsNothingForDistantName() {
        assertEquals(List.of(), CloseMatches.find("SCORING_COLOUR", List.of("SCORING_HTTP_PORT", "SCORING_MODELS")));
    }

    @Test
    void findReturnsAtMostThree() {
        assertEquals(List.of("ab", "ac", "ad"), CloseMatches.find("aa", List.of("ae", "ad", "ac", "ab")));
    }
}
