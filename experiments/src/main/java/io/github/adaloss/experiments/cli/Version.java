package io.github.adaloss.experiments.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The experiments' version, read from {@code adaloss-experiments.properties} (filled in by Maven). */
public final class Version {

    private Version() {
    }

    /** @return the project version, or "unknown" when the resource is missing or unfiltered */
    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("/adaloss-experiments.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
