package io.github.adaloss.experiments;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.overparam.OverparamExperiment;
import io.github.adaloss.experiments.realdata.Datasets;
import io.github.adaloss.experiments.realdata.RealDataExperiment;
import io.github.adaloss.experiments.run.Progress;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.saddle.SaddleEscapeExperiment;
import io.github.adaloss.experiments.saddle.SaddleNoiseControl;
import io.github.adaloss.experiments.synthetic.MomentumExperiment;
import io.github.adaloss.experiments.synthetic.NtkExperiment;
import io.github.adaloss.experiments.synthetic.RobustnessExperiment;
import io.github.adaloss.experiments.synthetic.SyntheticProblem;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.dataset.DataSet;

/** Runs every experiment of the main job. */
public final class Suite {

    /**
     * Everything the report shows.
     *
     * @param options        the options used
     * @param robustness     step-size robustness runs
     * @param momentum       GD, heavy ball, Nesterov
     * @param ntk            NTK runs
     * @param iris           Iris runs (empty if skipped)
     * @param fashion        Fashion-MNIST runs (empty if skipped or missing)
     * @param fashionMissing why Fashion-MNIST did not run, or null
     * @param overparam      the over-parameterization sweep, null if skipped
     * @param saddle         the saddle-escape experiment, null if skipped
     * @param saddleControl  its noise controls (full vs mini-batch, noisy saddle start), null if skipped
     * @param seconds        wall-clock seconds per section, in run order
     */
    public record Results(Options options, List<RunResult> robustness, List<RunResult> momentum,
                          List<NtkExperiment.NtkRun> ntk, List<RunResult> iris, List<RunResult> fashion,
                          String fashionMissing, OverparamExperiment.Result overparam,
                          SaddleEscapeExperiment.Result saddle, SaddleNoiseControl.Result saddleControl,
                          Map<String, Double> seconds) {

        /** @return every training run in report order: robustness, momentum, NTK, Iris, Fashion-MNIST */
        public List<RunResult> allRuns() {
            List<RunResult> all = new ArrayList<>(robustness);
            all.addAll(momentum);
            ntk.forEach(n -> all.add(n.run()));
            all.addAll(iris);
            all.addAll(fashion);
            return all;
        }
    }

    private Suite() {
    }

    /**
     * @param o       options
     * @param console where the progress bar goes (null: nowhere)
     * @return all results
     * @throws IOException if a data file cannot be read
     */
    public static Results run(Options o, PrintStream console) throws IOException {
        boolean fashion = o.realData() && Datasets.hasFashionMnist(o.data());
        OverparamExperiment.Config overparamConfig = o.full() ? OverparamExperiment.Config.full(o.seed())
                : OverparamExperiment.Config.defaults(o.seed());
        List<OverparamExperiment.Split> splits = o.overparam() ? overparamData(o) : List.of();
        SaddleEscapeExperiment.Config saddleConfig = o.full() ? SaddleEscapeExperiment.Config.full(o.seed())
                : SaddleEscapeExperiment.Config.defaults(o.seed());
        int total = RobustnessExperiment.runCount(o) + MomentumExperiment.runCount()
                + (o.realData() ? RealDataExperiment.irisRunCount() : 0)
                + (fashion ? RealDataExperiment.fashionRunCount() : 0)
                + OverparamExperiment.runCount(overparamConfig, splits)
                + (o.saddle() ? SaddleEscapeExperiment.runCount(saddleConfig)
                + SaddleNoiseControl.runCount(saddleConfig) : 0);
        Progress progress = new Progress(console, total);
        SyntheticProblem problem = new SyntheticProblem(o);
        Map<String, Double> seconds = new LinkedHashMap<>();
        NtkExperiment.Recorder recorder = new NtkExperiment.Recorder(o, problem);
        List<RunResult> robustness = timed(seconds, "robustness and ntk",
                () -> RobustnessExperiment.run(o, problem, progress, recorder));
        List<RunResult> momentum = timed(seconds, "momentum", () -> MomentumExperiment.run(o, problem, progress));
        List<NtkExperiment.NtkRun> ntk = recorder.runs();
        List<RunResult> iris = o.realData() ? timed(seconds, "iris", () -> RealDataExperiment.iris(o, progress))
                : List.of();
        List<RunResult> fm = fashion ? timed(seconds, "fashion-mnist", () -> RealDataExperiment.fashionMnist(o,
                progress)) : List.of();
        String missing = !o.realData() ? "skipped (--no-real-data)"
                : fashion ? null : "Fashion-MNIST files not found in " + o.data() + ": " + Datasets.FASHION_MNIST_HINT;
        OverparamExperiment.Result overparam = o.overparam() ? timed(seconds, "overparam",
                () -> OverparamExperiment.run(overparamConfig, splits, progress::step)) : null;
        SaddleEscapeExperiment.Result saddle = o.saddle() ? timed(seconds, "saddle",
                () -> SaddleEscapeExperiment.run(saddleConfig, progress::step)) : null;
        SaddleNoiseControl.Result saddleControl = saddle == null ? null : timed(seconds, "saddle-control",
                () -> SaddleNoiseControl.run(saddle, progress::step));
        return new Results(o, robustness, momentum, ntk, iris, fm, missing, overparam, saddle, saddleControl,
                java.util.Collections.unmodifiableMap(seconds));
    }

    private interface Section<T> {
        T run() throws IOException;
    }

    private static <T> T timed(Map<String, Double> seconds, String name, Section<T> section) throws IOException {
        long start = System.nanoTime();
        T result = section.run();
        seconds.put(name, (System.nanoTime() - start) / 1e9);
        return result;
    }

    /**
     * Iris (stratified 2/3 train, 1/3 test); with {@code --full} and the files present also 500 + 500
     * Fashion-MNIST images average-pooled to 7 x 7.
     */
    private static List<OverparamExperiment.Split> overparamData(Options o) throws IOException {
        List<OverparamExperiment.Split> splits = new ArrayList<>();
        splits.add(OverparamExperiment.stratified("Iris", Datasets.iris(), 2.0 / 3, o.seed()));
        if (o.full() && Datasets.hasFashionMnist(o.data())) {
            DataSet train = Datasets.fashionMnist(o.data(), true, 500);
            DataSet test = Datasets.fashionMnist(o.data(), false, 500);
            splits.add(new OverparamExperiment.Split("Fashion-MNIST 7x7",
                    new DataSet(OverparamExperiment.pool(train.getFeatures(), 4), train.getLabels()),
                    new DataSet(OverparamExperiment.pool(test.getFeatures(), 4), test.getLabels())));
        }
        return splits;
    }
}
