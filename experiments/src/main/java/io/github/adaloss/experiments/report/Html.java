package io.github.adaloss.experiments.report;

/** HTML helpers of the report. */
public final class Html {

    private Html() {
    }

    /** @return {@code s} with the HTML special characters escaped */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
