package io.github.adaloss.experiments.saddle;

import io.github.adaloss.experiments.report.Charts;
import io.github.adaloss.experiments.report.Series;
import io.github.adaloss.experiments.run.Formats;
import io.github.adaloss.experiments.section.ReportContext;
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
     * Writes the section's report part: text, charts, table, {@code csv/saddle-escape.csv} and its JSON entry.
     *
     * @param r the experiment
     * @param w the report
     * @throws IOException if a file cannot be written
     */
    public static void write(SaddleEscapeExperiment.Result r, ReportContext w) throws IOException {
        w.html(html(r));
        List<Series> lines = new ArrayList<>();
        for (String o : SaddleEscapeExperiment.OPTIMIZERS) {
            List<SaddleEscapeExperiment.Escapes> runs = r.runs().stream().filter(e -> e.optimizer().equals(o))
                    .toList();
            lines.add(new Series(o, runs.stream().mapToDouble(SaddleEscapeExperiment.Escapes::rate).toArray(),
                    runs.stream().mapToDouble(e -> e.median() == Integer.MAX_VALUE ? r.config().maxIterations()
                            : e.median()).toArray(), o, 0));
        }
        XYChart chart = Charts.lines("Iterations to leave the saddle on the " + SaddleNoiseControl.TUNING_SEEDS
                + " tuning seeds (median; " + r.config().maxIterations() + " = not escaped)", "learning rate",
                "median escape iteration", true, true, lines);
        Charts.threshold(chart, "budget " + r.config().maxIterations() + " (not escaped)", r.config().maxIterations());
        w.chart("saddle-escape", chart, "Median escape iteration vs learning rate on the tuning seeds, per optimizer "
                + "(the rate chosen there is reported on other seeds in the table)");
        NoiseIsotropy iso = r.isotropy();
        w.chart("saddle-isotropy", Charts.bars("Gradient-noise isotropy at the starting point (1 = isotropic)",
                "gradient-noise covariance C", "participation ratio (tr C)^2 / (P tr C^2)",
                List.of("raw " + Formats.number(iso.raw()) + ", preconditioned " + Formats.number(iso.preconditioned())),
                List.of("raw (SGD, AdaLoss, AdaGrad-Norm)", "diagonally preconditioned (RMSProp, Adam)"),
                new double[][] {{iso.raw()}, {iso.preconditioned()}}, null),
                "Isotropy of the gradient noise before and after diagonal preconditioning");
        w.html(table(r));
        w.csv("saddle-escape.csv", r.toCsv());
        w.json(json(r));
    }

    /** @return the section's introduction */
    static String html(SaddleEscapeExperiment.Result r) {
        SaddleEscapeExperiment.Config c = r.config();
        StringBuilder h = new StringBuilder();
        h.append("<p>Staib et al. ")
                .append("(arXiv 1901.09149): RMSProp and Adam precondition the stochastic gradient so that its noise ")
                .append("is closer to isotropic near a stationary point, which makes them escape saddle points faster ")
                .append("than SGD. Problem: a two-layer linear network f(x) = w2.W1 x (width ").append(c.h())
                .append(", input dimension ").append(c.d()).append(", anisotropic inputs) fitted to a linear ")
                .append("teacher with MSE; the origin is a strict saddle and every run starts next to it (parameters ")
                .append("N(0, ").append(c.initScale()).append("^2)), mini-batches of ").append(c.batch())
                .append(" out of ").append(c.n()).append(". Escape = full-data loss at most ").append(c.threshold())
                .append(" of the starting loss; ").append(c.maxIterations()).append(" iterations at most. Each ")
                .append("optimizer's rate is the most reliable fast rate of its grid on ")
                .append(SaddleNoiseControl.TUNING_SEEDS).append(" tuning seeds; the table reports it on ")
                .append(c.seeds()).append(" other seeds. AdaLoss and AdaGrad-Norm scale the step by one scalar: ")
                .append("they cannot change the noise's shape, only its size; both are claimed, as are RMSProp and ")
                .append("Adam. AdaGrad (diagonal) and AdaGrad-Norm with b0 = 1e-6 (scalar, normalized) are the pair ")
                .append("that separates the noise's shape from step normalization (see the control section).</p>\n");
        return h.toString();
    }

    /** @return the table of the best rate per optimizer */
    static String table(SaddleEscapeExperiment.Result r) {
        StringBuilder h = new StringBuilder();
        h.append("<table><tr><th>optimizer</th><th>rate (tuning seeds)</th><th>median (reported seeds)</th>")
                .append("<th>quartiles</th>")
                .append("<th>escaped</th></tr>\n");
        for (String o : SaddleEscapeExperiment.OPTIMIZERS) {
            SaddleEscapeExperiment.Escapes e = r.best(o);
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s - %s</td>"
                    + "<td>%d / %d</td></tr>%n", o, Formats.number(e.rate()), SaddleClaims.show(e.median()),
                    SaddleClaims.show(e.quantile(0.25)), SaddleClaims.show(e.quantile(0.75)), e.escaped(),
                    e.escape().length));
        }
        return h.append("</table>\n").toString();
    }

    /** @return the noise-control part: setup, the comparison in words from the numbers, and the table */
    public static String controlHtml(SaddleNoiseControl.Result r) {
        StringBuilder h = new StringBuilder("<p>The saddle section's runs again with full-batch gradients (no noise at ")
                .append("all), from two starts. From the experiment's start next to the origin every per-example ")
                .append("gradient is bilinear in the parameters, so the noise vanishes at that saddle; if full-batch ")
                .append("runs escape as fast as mini-batch ones there (the caveat claim), that comparison measures ")
                .append("step-size adaptation, not Staib et al.'s mechanism. The second start sits exactly at a strict ")
                .append("saddle where the noise does not vanish (w2 = 0, W1 orthogonal to X^T y; loss ")
                .append(Formats.number(r.saddleLoss())).append(", full-gradient norm ")
                .append(Formats.number(r.saddleGradient())).append("). ").append(noisyText(r))
                .append(" Noise isotropy there (participation ratio, 1 = isotropic): raw ")
                .append(Formats.number(r.saddleIsotropy().raw())).append(", diagonal preconditioner ")
                .append(Formats.number(r.saddleIsotropy().preconditioned())).append(", ideal full-matrix ")
                .append("preconditioner E[g g^T]^{-1/2} (Staib et al.'s object) ")
                .append(Formats.number(r.fullMatrixIsotropy())).append(", against the ceiling rank(C)/P = ")
                .append(r.noiseRank()).append("/").append(r.saddleIsotropy().parameters())
                .append(" for this noise. The full-matrix methods (full-matrix AdaGrad and RMSProp, the paper's ")
                .append("object, one eigendecomposition of the P x P accumulator per step) run from the noisy saddle ")
                .append("only, their rates chosen on the same tuning seeds.")
                .append("</p>\n<table><tr><th>start</th><th>optimizer</th><th>rate</th>")
                .append("<th>median escape, mini-batch</th><th>median escape, full batch</th></tr>\n");
        for (SaddleNoiseControl.Row row : r.rows()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>%n",
                    row.start(), row.optimizer(), Formats.number(row.rate()), SaddleClaims.show(row.miniMedian()),
                    SaddleClaims.show(row.fullMedian())));
        }
        return h.append("</table>\n").toString();
    }

    /** @return which optimizers leave the noisy saddle before SGD (mini-batch medians), in words */
    static String noisyText(SaddleNoiseControl.Result r) {
        SaddleNoiseControl.Row sgd = r.row("SGD", "noisy saddle");
        List<String> faster = new ArrayList<>();
        List<String> notFaster = new ArrayList<>();
        for (String o : SaddleNoiseControl.noisySaddleOptimizers()) {
            if (!o.equals("SGD")) {
                (r.row(o, "noisy saddle").miniMedian() < sgd.miniMedian() ? faster : notFaster).add(o);
            }
        }
        return "At the noisy saddle SGD's median escape is " + SaddleClaims.show(sgd.miniMedian()) + " with mini-batches"
                + " and " + SaddleClaims.show(sgd.fullMedian()) + " with full batches; escaping before SGD (mini-batch"
                + " medians): " + (faster.isEmpty() ? "none" : String.join(", ", faster)) + "; not before SGD: "
                + (notFaster.isEmpty() ? "none" : String.join(", ", notFaster)) + ".";
    }

    /** @return the section of summary.json */
    public static Map<String, Object> json(SaddleEscapeExperiment.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        SaddleEscapeExperiment.Config c = r.config();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("n", c.n());
        config.put("d", c.d());
        config.put("h", c.h());
        config.put("batch", c.batch());
        config.put("maxIterations", c.maxIterations());
        config.put("seeds", c.seeds());
        config.put("threshold", c.threshold());
        config.put("seed", c.seed());
        m.put("config", config);
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
