package io.github.adaloss.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Words of several languages, from the spelling word lists Debian ships in {@code /usr/share/dict}, for a
 * language-identification task (a character-level text classifier): which language is this word from?
 *
 * <p>Packages and licences (read at run time, never copied into the project): {@code wamerican} (SCOWL, permissive
 * licence, parts public domain), {@code wngerman} (GPL-2+), {@code wfrench} (GPL-2+), {@code wspanish} (public
 * domain word list), {@code witalian} (GPL-3+), {@code wportuguese} (GPL-2+ / LGPL-2.1+ / MPL-1.1), {@code wdutch}
 * (BSD). Install with {@code apt-get install -y wamerican wngerman wfrench wspanish witalian wportuguese wdutch}.
 *
 * <p>Cleaning (so that the task is the spelling, not the file format): every word is NFC-normalized and lower-cased
 * (German capitalizes nouns, which would otherwise give the language away); words with anything but letters (the
 * English possessives {@code 's}, hyphens, digits) are dropped, as are words shorter than 2 letters; a word found in
 * more than one language's list is dropped from all of them (its label would be ambiguous).
 */
public final class WordLists {

    /** Where Debian installs the word lists. */
    public static final Path DEFAULT_DIR = Paths.get("/usr/share/dict");
    /** System property that overrides {@link #DEFAULT_DIR}. */
    public static final String DIR_PROPERTY = "wordlists.dir";
    /** The command that installs the lists. */
    public static final String INSTALL_HINT = "install Debian's word lists with `apt-get install -y wamerican wngerman "
            + "wfrench wspanish witalian wportuguese wdutch`";
    /** Language name to file name under the directory, in class order. */
    public static final Map<String, String> FILES = files();
    /** Shortest word kept. */
    public static final int MIN_LENGTH = 2;

    private WordLists() {
    }

    private static Map<String, String> files() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("english", "american-english");
        m.put("german", "ngerman");
        m.put("french", "french");
        m.put("spanish", "spanish");
        m.put("italian", "italian");
        m.put("portuguese", "portuguese");
        m.put("dutch", "dutch");
        return Collections.unmodifiableMap(m);
    }

    /** @return the folder of the lists: {@value #DIR_PROPERTY} if set, else {@link #DEFAULT_DIR} */
    public static Path directory() {
        String prop = System.getProperty(DIR_PROPERTY);
        return prop == null || prop.isBlank() ? DEFAULT_DIR : Paths.get(prop);
    }

    /**
     * @param dir a folder
     * @return true if every list of {@link #FILES} is a readable file there
     */
    public static boolean isAvailable(Path dir) {
        return FILES.values().stream().allMatch(f -> Files.isReadable(dir.resolve(f)));
    }

    /**
     * @param word a raw entry of a list
     * @return the cleaned word (NFC, lower case), or null if it is dropped (non-letters, too short)
     */
    public static String clean(String word) {
        String w = Normalizer.normalize(word.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        if (w.length() < MIN_LENGTH) {
            return null;
        }
        for (int i = 0; i < w.length(); i++) {
            if (!Character.isLetter(w.charAt(i))) {
                return null;
            }
        }
        return w;
    }

    /**
     * Reads every list, cleans it and removes the words of more than one language.
     *
     * @param dir the folder of the lists
     * @return per language (in {@link #FILES} order) its distinct words, in file order
     * @throws IOException if a list is missing or unreadable (the message says how to install them)
     */
    public static Map<String, List<String>> read(Path dir) throws IOException {
        if (!isAvailable(dir)) {
            throw new IOException("word lists not found in " + dir + ": " + INSTALL_HINT);
        }
        Map<String, Set<String>> words = new LinkedHashMap<>();
        Map<String, Integer> languages = new HashMap<>();
        for (Map.Entry<String, String> e : FILES.entrySet()) {
            Set<String> set = new LinkedHashSet<>();
            for (String line : Files.readAllLines(dir.resolve(e.getValue()), StandardCharsets.UTF_8)) {
                String w = clean(line);
                if (w != null) {
                    set.add(w);
                }
            }
            for (String w : set) {
                languages.merge(w, 1, Integer::sum);
            }
            words.put(e.getKey(), set);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> e : words.entrySet()) {
            List<String> keep = new ArrayList<>();
            for (String w : e.getValue()) {
                if (languages.get(w) == 1) {
                    keep.add(w);
                }
            }
            out.put(e.getKey(), keep);
        }
        return out;
    }

    /**
     * A class-balanced sample: per language, its words shuffled with {@code seed}, the first {@code train} for
     * training and the next {@code test} for testing (disjoint).
     *
     * @param words per language its words ({@link #read})
     * @param train training words per language
     * @param test  test words per language
     * @param seed  sampling seed (fixed for a data set, like a published split)
     * @return the sample; labels are language indices in {@code words}' order
     * @throws IllegalArgumentException if a language has fewer than {@code train + test} words
     */
    public static Sample sample(Map<String, List<String>> words, int train, int test, long seed) {
        if (train < 1 || test < 1) {
            throw new IllegalArgumentException("train and test per language must be >= 1, got train=" + train
                    + ", test=" + test);
        }
        List<String> trainWords = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        List<String> testWords = new ArrayList<>();
        List<Integer> testLabels = new ArrayList<>();
        int label = 0;
        for (Map.Entry<String, List<String>> e : words.entrySet()) {
            List<String> list = new ArrayList<>(e.getValue());
            if (list.size() < train + test) {
                throw new IllegalArgumentException("language " + e.getKey() + " has " + list.size()
                        + " usable words, fewer than train + test = " + (train + test));
            }
            Collections.shuffle(list, new Random(seed + 7919L * label));
            for (int i = 0; i < train + test; i++) {
                (i < train ? trainWords : testWords).add(list.get(i));
                (i < train ? trainLabels : testLabels).add(label);
            }
            label++;
        }
        return new Sample(List.copyOf(words.keySet()), trainWords, trainLabels, testWords, testLabels);
    }

    /**
     * @param languages   class names, by label
     * @param trainWords  training words
     * @param trainLabels their labels
     * @param testWords   test words
     * @param testLabels  their labels
     */
    public record Sample(List<String> languages, List<String> trainWords, List<Integer> trainLabels,
                         List<String> testWords, List<Integer> testLabels) {
    }
}
