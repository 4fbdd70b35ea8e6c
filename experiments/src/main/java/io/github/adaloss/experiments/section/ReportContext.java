package io.github.adaloss.experiments.section;

import java.io.IOException;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Where a section writes its part of the report. Files are named after the section: a chart {@code NAME} becomes
 * {@code images/NAME.png}, a CSV {@code csv/NAME}; the HTML fragment goes below the section's heading, in call order.
 * Every method escapes the text it is given except {@link #html}.
 */
public interface ReportContext {

    /**
     * Draws a chart: writes {@code images/NAME.png} and appends a figure with the caption to the HTML.
     *
     * @param name    file name without extension (unique in the report; start it with the section id)
     * @param chart   the chart (see {@code io.github.adaloss.experiments.report.Charts})
     * @param caption what the chart shows (a description; a sentence stating a result must come from the numbers)
     * @throws IOException if the image cannot be written
     */
    void chart(String name, Chart<?, ?> chart, String caption) throws IOException;

    /**
     * Writes {@code csv/NAME}.
     *
     * @param name    file name with extension
     * @param content the CSV text (full precision)
     * @throws IOException if it cannot be written
     */
    void csv(String name, String content) throws IOException;

    /**
     * Adds the section's entry to {@code summary.json} (under {@code sections.<id>}); called at most once.
     *
     * @param value maps, lists, numbers, strings (full precision)
     */
    void json(Object value);

    /** @param text a paragraph of plain text (escaped) */
    void paragraph(String text);

    /**
     * @param headers column headers
     * @param rows    cells (plain text, escaped)
     */
    void table(List<String> headers, List<List<String>> rows);

    /** @param fragment raw HTML appended as is (escape text with {@code report.Html.escape}) */
    void html(String fragment);

    /**
     * @param value a number
     * @return the number rounded for reading (e.g. 0.00123 -> "1.2e-3", 0.98667 -> "0.987", 1234 -> "1234")
     */
    String number(double value);
}
