package io.github.adaloss.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cleaning, de-duplication across languages and the disjoint class-balanced split of {@link WordLists}. */
class WordListsTest {

    @Test
    void cleaningLowerCasesNormalizesAndDropsNonLetters() {
        assertEquals("haus", WordLists.clean("Haus"));
        assertEquals("straße", WordLists.clean("Straße\n"));
        // "e" + combining acute (NFD) becomes the single code point U+00E9 (NFC)
        assertEquals("caf\u00e9", WordLists.clean("cafe\u0301"));
        assertNull(WordLists.clean("dog's"));
        assertNull(WordLists.clean("re-enter"));
        assertNull(WordLists.clean("a"));
        assertNull(WordLists.clean("x2"));
    }

    @Test
    void wordsOfSeveralLanguagesAreDroppedEverywhere(@TempDir Path dir) throws IOException {
        int k = 0;
        for (String file : WordLists.FILES.values()) {
            List<String> lines = new ArrayList<>(List.of("Hotel", "only" + (char) ('a' + k), "mot" + (char) ('a' + k),
                    "l'amour"));
            Files.write(dir.resolve(file), lines, StandardCharsets.UTF_8);
            k++;
        }
        Map<String, List<String>> words = WordLists.read(dir);
        assertEquals(List.copyOf(WordLists.FILES.keySet()), List.copyOf(words.keySet()));
        assertEquals(List.of("onlya", "mota"), words.get("english"));
        assertEquals(List.of("onlyb", "motb"), words.get("german"));
        assertThrows(IllegalArgumentException.class, () -> WordLists.sample(words, 2, 1, 1));
    }

    @Test
    void missingListsGiveAnInstallHint(@TempDir Path dir) {
        assertFalse(WordLists.isAvailable(dir));
        IOException e = assertThrows(IOException.class, () -> WordLists.read(dir));
        assertTrue(e.getMessage().contains("apt-get install"), e.getMessage());
    }

    @Test
    void sampleIsClassBalancedDisjointAndFixedBySeed() throws IOException {
        Path dir = WordLists.directory();
        Assumptions.assumeTrue(WordLists.isAvailable(dir), "Debian word lists not installed");
        Map<String, List<String>> words = WordLists.read(dir);
        // no word in two languages, every language with tens of thousands of words
        Set<String> seen = new HashSet<>();
        for (List<String> l : words.values()) {
            assertTrue(l.size() > 20000, "words: " + l.size());
            for (String w : l) {
                assertTrue(seen.add(w), w);
            }
        }
        WordLists.Sample a = WordLists.sample(words, 30, 10, 7);
        WordLists.Sample b = WordLists.sample(words, 30, 10, 7);
        assertEquals(a, b);
        assertEquals(30 * words.size(), a.trainWords().size());
        assertEquals(10 * words.size(), a.testWords().size());
        for (int c = 0; c < words.size(); c++) {
            final int label = c;
            assertEquals(30, a.trainLabels().stream().filter(x -> x == label).count());
            assertEquals(10, a.testLabels().stream().filter(x -> x == label).count());
        }
        Set<String> train = new HashSet<>(a.trainWords());
        assertTrue(a.testWords().stream().noneMatch(train::contains));
        assertFalse(a.trainWords().equals(WordLists.sample(words, 30, 10, 8).trainWords()));
        for (int i = 0; i < a.trainWords().size(); i++) {
            String lang = a.languages().get(a.trainLabels().get(i));
            assertTrue(words.get(lang).contains(a.trainWords().get(i)));
        }
    }
}
