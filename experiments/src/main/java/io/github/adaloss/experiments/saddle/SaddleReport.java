package io.github.adaloss.experiments.saddle;

import io.github.adaloss.experiments.report.Charts;
import io.github.adaloss.experiments.report.ReportWriter;
import io.github.adaloss.experiments.report.Series;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;

/** The saddle-escape section of the report: charts, CSV, HTML table, JSON summary. */
public final class SaddleReport {

    private SaddleReport() {
    }

    /**
     * Adds the charts and writes {@code csv/saddle-escape.csv}.
     *
     * @param r the experiment
     * @param w the report
     * @throws IOException if the CSV cannot be written
     */
    public static void write(SaddleEscapeExperiment.Result r, ReportWriter w) throws IOException {
        List<Series> lines = new ArrayList<>();
        for (String o : SaddleEscapeExperiment.OPTIMIZERS) {
            List<SaddleEscapeExperiment.Escapes> runs = r.runs().stream().filter(e -> e.optimizer().equals(o))
                    .toList();
            lines.add(new Series(o, runs.stream().mapToDouble(SaddleEscapeExperiment.Escapes::rate).toArray(),
                    runs.stream().mapToDouble(e -> e.median() == Integer.MAX_VALUE ? r.config().maxIterations()
                            : e.median()).toArray()));
        }
        XYChart chart = Charts.lines("Iterations to leave the saddle (median over " + r.config().seeds()
                + " seeds; " + r.config().maxIterations() + " = not escaped)", "learning rate",
                "median escape iteration", true, lines);
        chart.getStyler().setXAxisLogarithmic(true);
        w.add("saddle-escape", chart);
        NoiseIsotropy iso = r.isotropy();
        w.add("saddle-isotropy", Charts.bars("Gradient-noise isotropy at the starting point (1 = isotropic)",
                "(tr C)^2 / (P tr C^2)", List.of("noise covariance C"), List.of("raw (SGD, AdaLoss, AdaGrad-Norm)",
                        "diagonally preconditioned (RMSProp, Adam)"),
                new double[][] {{iso.raw()}, {iso.preconditioned()}}, null));
        w.csv("saddle-escape.csv", r.toCsv());
    }

    /** @return the HTML section (charts must have been added by {@link #write}) */
    public static String html(SaddleEscapeExperiment.Result r, ReportWriter w) {
        SaddleEscapeExperiment.Config c = r.config();
        StringBuilder h = new StringBuilder();
        h.append("<h2>6. Saddle escape: adaptive methods as preconditioned SGD</h2>\n<p>Staib et al. ")
                .append("(arXiv 1901.09149): RMSProp and Adam precondition the stochastic gradient so that its noise ")
                .append("is closer to isotropic near a stationary point, which makes them escape saddle points faster ")
                .append("than SGD. Problem: a two-layer linear network f(x) = w2.W1 x (width ").append(c.h())
                .append(", input dimension ").append(c.d()).append(", anisotropic inputs) fitted to a linear ")
                .append("teacher with MSE; the origin is a strict saddle and every run starts next to it (parameters ")
                .append("N(0, ").append(c.initScale()).append("^2)), mini-batches of ").append(c.batch())
                .append(" out of ").append(c.n()).append(". Escape = full-data loss at most ").append(c.threshold())
                .append(" of the starting loss; ").append(c.seeds()).append(" seeds per learning rate, ")
                .append(c.maxIterations()).append(" iterations at most. Each optimizer is judged at the best rate of ")
                .append("its grid. AdaLoss and AdaGrad-Norm scale the step by one scalar: they cannot change the ")
                .append("noise's shape, only its size.</p>\n");
        h.append(w.img("saddle-escape", "Median escape iteration vs learning rate, per optimizer"));
        h.append(w.img("saddle-isotropy", "Isotropy of the gradient noise before and after diagonal preconditioning"));
        h.append("<table><tr><th>optimizer</th><th>best learning rate</th><th>median</th><th>quartiles</th>")
                .append("<th>escaped</th></tr>\n");
        for (String o : SaddleEscapeExperiment.OPTIMIZERS) {
            SaddleEscapeExperiment.Escapes e = r.best(o);
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s - %s</td>"
                    + "<td>%d / %d</td></tr>%n", o, e.rate(), SaddleClaims.show(e.median()),
                    SaddleClaims.show(e.quantile(0.25)), SaddleClaims.show(e.quantile(0.75)), e.escaped(),
                    e.escape().length));
        }
        return h.append("</table>\n").toString();
    }

    /** @return the HTML table of the noise controls */
    public static String controlHtml(SaddleNoiseControl.Result r) {
        StringBuilder h = new StringBuilder("<p><b>Is it the noise?</b> The same runs with full-batch gradients (no ")
                .append("noise at all). From the experiment's start next to the origin every per-example gradient ")
                .append("is bilinear in the parameters, so the noise vanishes at that saddle and the escape is the ")
                .append("deterministic growth of the initial offset: full-batch runs escape as fast as mini-batch ")
                .append("ones, and that comparison measures step-size adaptation, not Staib et al.'s mechanism. ")
                .append("The second start sits exactly at a strict saddle where the noise does not vanish (w2 = 0, ")
                .append("W1 orthogonal to X^T y; loss ").append(String.format(Locale.ROOT, "%.4f", r.saddleLoss()))
                .append(", full-gradient norm ").append(String.format(Locale.ROOT, "%.1e", r.saddleGradient()))
                .append("): there noise is what gets SGD out, and RMSProp and Adam escape first; the scalar-step ")
                .append("methods AdaLoss and AdaGrad-Norm do not beat SGD, as the paper predicts for a method that ")
                .append("cannot reshape the noise.</p>\n<table><tr><th>start</th><th>optimizer</th><th>rate</th>")
                .append("<th>median escape, mini-batch</th><th>median escape, full batch</th></tr>\n");
        for (SaddleNoiseControl.Row row : r.rows()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>%n",
                    row.start(), row.optimizer(), row.rate(), SaddleClaims.show(row.miniMedian()),
                    SaddleClaims.show(row.fullMedian())));
        }
        return h.append("</table>\n").toString();
    }

    /** @return the section of summary.json */
    public static Map<String, Object> json(SaddleEscapeExperiment.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", r.config().toString());
        Map<String, Object> best = new LinkedHashMap<>();
        for (String o : SaddleEscapeExperiment.OPTIMIZERS) {
            SaddleEscapeExperiment.Escapes e = r.best(o);
            best.put(o, Map.of("rate", e.rate(), "median", e.median() == Integer.MAX_VALUE ? -1 : e.median(),
                    "escaped", e.escaped(), "seeds", e.escape().length));
        }
        m.put("bestPerOptimizer", best);
        m.put("isotropyRaw", r.isotropy().raw());
        m.put("isotropyPreconditioned", r.isotropy().preconditioned());
        return m;
    }
}
