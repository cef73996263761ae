package io.logitrouter.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fails while the committed pages in topology-docs/ differ from what the code generates. */
class ReferenceDocsTest {

    private static final Path DOCS = Path.of("topology-docs");

    @Test
    void committedPagesMatchGeneratedPages() throws IOException {
        Map<String, String> pages = ReferenceDocs.render();
        for (var page : pages.entrySet()) {
            Path file = DOCS.resolve(page.getKey());
            assertTrue(Files.exists(file), file + " is missing; regenerate with: " + ReferenceDocs.REGENERATE);
            assertEquals(page.getValue(), Files.readString(file, StandardCharsets.UTF_8),
                    file + " is stale; regenerate with: " + ReferenceDocs.REGENERATE);
        }
    }

    @Test
    void noPageIsLeftOver() throws IOException {
        Map<String, String> pages = ReferenceDocs.render();
        try (Stream<Path> files = Files.walk(DOCS)) {
            files.filter(Files::isRegularFile).forEach(file -> assertTrue(
                    pages.containsKey(DOCS.relativize(file).toString().replace('\\', '/')),
                    file + " is no longer generated; delete it"));
        }
    }

    @Test
    void topologyDiagramNamesEveryTopic() {
        String diagram = ReferenceDocs.render().get("topology.md");
        for (String topic : new String[] {"scoring.input", "scoring.spam", "scoring.alert", "scoring.pass"}) {
            assertTrue(diagram.contains("([\"" + topic + "\"])"), topic);
        }
    }
}
