package io.github.adaloss.experiments.saddle;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.experiments.section.ReportContext;
import io.github.adaloss.experiments.section.Section;
import io.github.adaloss.experiments.section.SectionContext;
import io.github.adaloss.experiments.section.SectionResult;
import io.github.adaloss.experiments.section.Work;
import java.io.IOException;
import java.util.List;

/** Section "saddle-control": is it the noise? Full vs mini-batch from the saddle section's start and a noisy saddle. */
public final class SaddleControlSection implements Section {

    /** The section id. */
    public static final String ID = "saddle-control";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Saddle escape: is it the noise?";
    }

    @Override
    public List<String> requires() {
        return List.of(SaddleSection.ID);
    }

    @Override
    public Work plannedWork(Options o) {
        SaddleEscapeExperiment.Config c = SaddleSection.config(o);
        return new Work(SaddleNoiseControl.runCount(c), 16.0 * c.seeds() * c.maxIterations() / 2000.0);
    }

    @Override
    public SectionResult run(SectionContext context) {
        SaddleSection.Result saddle = context.result(SaddleSection.ID, SaddleSection.Result.class).orElseThrow(
                () -> new IllegalStateException("section saddle-control needs section saddle"));
        return new Result(SaddleNoiseControl.run(saddle.experiment(), context.progress()::step));
    }

    /** @param control the medians with and without noise */
    public record Result(SaddleNoiseControl.Result control) implements SectionResult {

        @Override
        public List<Claim> claims() {
            return SaddleNoiseControl.claims(control);
        }

        @Override
        public void writeReport(ReportContext report) throws IOException {
            report.html(SaddleReport.controlHtml(control));
            report.csv("saddle-noise-control.csv", control.toCsv());
            report.json(SaddleNoiseControl.json(control));
        }
    }
}
