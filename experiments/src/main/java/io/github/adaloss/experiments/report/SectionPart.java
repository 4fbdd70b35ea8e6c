package io.github.adaloss.experiments.report;

import io.github.adaloss.experiments.run.Formats;
import io.github.adaloss.experiments.section.ReportContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;

/** The {@link ReportContext} of one section: writes its files and collects its HTML fragment and JSON entry. */
final class SectionPart implements ReportContext {

    private final Path out;
    private final String sectionId;
    private final StringBuilder html = new StringBuilder();
    private final List<String> images = new ArrayList<>();
    private Object json;

    SectionPart(Path out, String sectionId) {
        this.out = out;
        this.sectionId = sectionId;
    }

    @Override
    public void chart(String name, Chart<?, ?> chart, String caption) throws IOException {
        if (!name.matches("[a-z0-9-]+") || images.contains(name)) {
            throw new IllegalArgumentException("chart name must be [a-z0-9-]+ and unique in section " + sectionId
                    + ", got '" + name + "'");
        }
        Files.createDirectories(out.resolve("images"));
        Files.write(out.resolve("images").resolve(name + ".png"), Charts.png(chart));
        images.add(name);
        html.append("<figure><img src=\"images/").append(name).append(".png\" width=\"").append(chart.getWidth())
                .append("\" alt=\"").append(Html.escape(caption)).append("\"><figcaption>")
                .append(Html.escape(caption)).append("</figcaption></figure>\n");
    }

    @Override
    public void csv(String name, String content) throws IOException {
        Files.createDirectories(out.resolve("csv"));
        Files.writeString(out.resolve("csv").resolve(name), content, StandardCharsets.UTF_8);
        html.append("<p class=\"files\">Data: <a href=\"csv/").append(Html.escape(name)).append("\">csv/")
                .append(Html.escape(name)).append("</a></p>\n");
    }

    @Override
    public void json(Object value) {
        if (json != null) {
            throw new IllegalStateException("section " + sectionId + " wrote its JSON entry twice");
        }
        json = value;
    }

    @Override
    public void paragraph(String text) {
        html.append("<p>").append(Html.escape(text)).append("</p>\n");
    }

    @Override
    public void table(List<String> headers, List<List<String>> rows) {
        html.append(Tables.html(headers, rows, false));
    }

    @Override
    public void html(String fragment) {
        html.append(fragment);
    }

    @Override
    public String number(double value) {
        return Formats.number(value);
    }

    String fragment() {
        return html.toString();
    }

    Object jsonEntry() {
        return json;
    }

    List<String> images() {
        return images;
    }
}
