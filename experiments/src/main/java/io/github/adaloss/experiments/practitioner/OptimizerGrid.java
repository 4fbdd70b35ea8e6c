package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.updater.AdaGradNorm;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.AdamLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/** The optimizer grids of the suite (issue 11, item 2) and of the default-choosing sweep (item 3). */
public final class OptimizerGrid {

    /** The AdaLoss-family optimizers. */
    public static final List<String> FAMILIES = List.of("AdaLoss", "AdaGradNorm", "AdamLoss");
    /** b0 grid at the default eta. */
    public static final double[] B0 = {1e-2, 1e-1, 1, 10, 100};
    /** eta multiples of the default at the default b0. */
    public static final double[] ETA_MULTIPLES = {0.1, 1.0 / 3, 3, 10};
    /** Adam's learning-rate grid. */
    public static final double[] ADAM_LR = {1e-4, 1e-3, 1e-2, 1e-1};
    /** SGD's learning-rate grid. */
    public static final double[] SGD_LR = {1e-3, 1e-2, 1e-1, 1};

    /** The paper's constant-step SGD baseline: step {@code eta / b0}. */
    public static final String SGD_CONSTANT = "SGD-Constant";
    /** The paper's decaying-step SGD baseline: step {@code eta / sqrt(b0^2 + t)} at update {@code t = 0, 1, ...}. */
    public static final String SGD_DECAY_SQRT = "SGD-DecaySqrt";
    /** The authors' per-row AdaGrad-Norm: one accumulator per output unit ({@link RowAdaGradNorm}). */
    public static final String ROW_ADAGRAD_NORM = "AdaGradNorm-row";
    /**
     * The loss-scale rule under test (issue 19, item 4): AdaLoss with {@code alpha = 1 / l_0}, where {@code l_0} is the
     * loss of the first mini-batch at initialization, so that {@code b_1^2 = b0^2 + 1} whatever the loss' scale. The
     * runner ({@link Runner}) measures {@code l_0} and builds the updater.
     */
    public static final String ADALOSS_RELATIVE = "AdaLoss-alpha=1/l0";
    /** Number of priority tiers of {@link #benchmark}. */
    public static final int TIERS = 4;

    private OptimizerGrid() {
    }

    /**
     * The realistic benchmark's grid (issue 19), in priority tiers so that an interrupted benchmark holds whole
     * comparisons: tier 0, the published updater and the paper's b0 table for AdaLoss, SGD-Constant and AdaGrad-Norm
     * (b0 over {@link #B0} at AdaLoss' default eta); tier 1, the same b0 table for AdamLoss (at its own default eta),
     * SGD-DecaySqrt and the per-row AdaGrad-Norm; tier 2, Adam and SGD over their grids and each family's eta at
     * {@link #ETA_MULTIPLES} of its default; tier 3, the loss-scale rule {@link #ADALOSS_RELATIVE} over {@link #B0}.
     * The b0 = 1 runs of the families are their default runs (parameter "default").
     *
     * @param published the configuration's own updater
     * @param tier      0 to {@link #TIERS} - 1
     * @param rowWise   false where the per-row AdaGrad-Norm cannot be applied (its runs are left out)
     * @return the settings of that tier
     */
    public static List<OptimizerSpec> benchmark(IUpdater published, int tier, boolean rowWise) {
        List<OptimizerSpec> out = new ArrayList<>();
        double eta = AdaLoss.DEFAULT_LEARNING_RATE;
        switch (tier) {
            case 0 -> {
                out.add(new OptimizerSpec("published", "published", Double.NaN, Double.NaN, Double.NaN, published));
                out.addAll(b0Table("AdaLoss"));
                out.addAll(b0Table(SGD_CONSTANT));
                out.addAll(b0Table("AdaGradNorm"));
            }
            case 1 -> {
                out.addAll(b0Table("AdamLoss"));
                out.addAll(b0Table(SGD_DECAY_SQRT));
                if (rowWise) {
                    out.addAll(b0Table(ROW_ADAGRAD_NORM));
                }
            }
            case 2 -> {
                for (double lr : ADAM_LR) {
                    out.add(new OptimizerSpec("Adam", "lr", lr, lr, Double.NaN, new Adam(lr)));
                }
                for (double lr : SGD_LR) {
                    out.add(new OptimizerSpec("SGD", "lr", lr, lr, Double.NaN, new Sgd(lr)));
                }
                for (String f : FAMILIES) {
                    for (double m : ETA_MULTIPLES) {
                        double e = m * defaultEta(f);
                        out.add(new OptimizerSpec(f, "eta", m, e, defaultB0(f), factory(f).apply(e, defaultB0(f))));
                    }
                }
            }
            case 3 -> out.addAll(b0Table(ADALOSS_RELATIVE));
            default -> throw new IllegalArgumentException("tier must be in 0.." + (TIERS - 1) + ", got " + tier);
        }
        return out;
    }

    /**
     * @return the family names of {@link #benchmark} over every tier (with the per-row AdaGrad-Norm), in grid order:
     *         the values {@code RealisticBenchmark --families} accepts
     */
    public static List<String> benchmarkFamilies() {
        List<String> out = new ArrayList<>();
        for (int tier = 0; tier < TIERS; tier++) {
            for (OptimizerSpec s : benchmark(new Sgd(), tier, true)) {
                if (!out.contains(s.family())) {
                    out.add(s.family());
                }
            }
        }
        return out;
    }

    /**
     * Whether a {@code --families} selector picks a setting: {@code FAMILY} picks all of that family's settings,
     * {@code FAMILY:default} (or {@code :published}) its default run, {@code FAMILY:PARAMETER=VALUE} one point of a
     * grid ({@code b0}, {@code eta} as a multiple of the default, {@code lr}), e.g. {@code AdaLoss:eta=0.1}; values
     * match to a relative 5e-3 (the three digits labels show), so {@code eta=0.333} picks the 1/3x run.
     *
     * @param selector a selector as above (checked by {@link #checkSelector})
     * @param s        a setting
     * @return true if {@code selector} picks {@code s}
     */
    public static boolean selects(String selector, OptimizerSpec s) {
        int colon = selector.indexOf(':');
        if (colon < 0) {
            return selector.equals(s.family());
        }
        if (!selector.substring(0, colon).equals(s.family())) {
            return false;
        }
        String rest = selector.substring(colon + 1);
        int eq = rest.indexOf('=');
        if (eq < 0) {
            return rest.equals(s.parameter());
        }
        double v = Double.parseDouble(rest.substring(eq + 1));
        return rest.substring(0, eq).equals(s.parameter()) && Math.abs(s.value() - v) <= 5e-3 * Math.abs(v);
    }

    /**
     * @param selector a {@code --families} value
     * @return null if it is well formed and names a family of {@link #benchmarkFamilies}, else why not
     */
    public static String checkSelector(String selector) {
        String[] parts = selector.split(":", -1);
        if (!benchmarkFamilies().contains(parts[0])) {
            return "'" + parts[0] + "' is not a family (one of " + String.join(", ", benchmarkFamilies()) + ")";
        }
        if (parts.length == 1) {
            return null;
        }
        String[] pv = parts[1].split("=", -1);
        List<String> parameters = List.of("published", "default", "b0", "eta", "lr");
        if (parts.length > 2 || !parameters.contains(pv[0]) || pv.length > 2
                || (pv.length == 1) != (pv[0].equals("default") || pv[0].equals("published"))) {
            return "'" + selector + "' is not FAMILY, FAMILY:default or FAMILY:PARAMETER=VALUE with PARAMETER one of b0, "
                    + "eta, lr";
        }
        if (pv.length == 2) {
            try {
                double v = Double.parseDouble(pv[1]);
                if (!(v > 0) || Double.isInfinite(v)) {
                    return "'" + selector + "': the value must be a positive number";
                }
            } catch (NumberFormatException e) {
                return "'" + selector + "': '" + pv[1] + "' is not a number";
            }
        }
        return null;
    }

    /**
     * @param family an AdaLoss family, {@link #SGD_CONSTANT}, {@link #SGD_DECAY_SQRT}, {@link #ROW_ADAGRAD_NORM} or
     *               {@link #ADALOSS_RELATIVE}
     * @return the family over {@link #B0}: the AdaLoss families at their default eta (b0 = 1 is the "default" run),
     *         the paper's baselines at AdaLoss' default eta
     */
    static List<OptimizerSpec> b0Table(String family) {
        List<OptimizerSpec> out = new ArrayList<>();
        boolean own = FAMILIES.contains(family);
        double eta = own ? defaultEta(family) : AdaLoss.DEFAULT_LEARNING_RATE;
        for (double b : B0) {
            IUpdater u = switch (family) {
                case SGD_CONSTANT -> new Sgd(eta / b);
                case SGD_DECAY_SQRT -> new Sgd(new InverseSchedule(ScheduleType.ITERATION, eta / b, 1 / (b * b), 0.5));
                case ROW_ADAGRAD_NORM -> new RowAdaGradNorm(eta, b, 1);
                case ADALOSS_RELATIVE -> new AdaLoss(eta, b); // alpha set by the runner from the first loss
                default -> factory(family).apply(eta, b);
            };
            boolean isDefault = own && b == defaultB0(family);
            out.add(new OptimizerSpec(family, isDefault ? "default" : "b0", isDefault ? Double.NaN : b, eta, b, u));
        }
        return out;
    }

    /**
     * @param family one of {@link #FAMILIES}
     * @return its default eta (the {@code DEFAULT_LEARNING_RATE} constant)
     */
    public static double defaultEta(String family) {
        return switch (family) {
            case "AdaLoss" -> AdaLoss.DEFAULT_LEARNING_RATE;
            case "AdaGradNorm" -> AdaGradNorm.DEFAULT_LEARNING_RATE;
            case "AdamLoss" -> AdamLoss.DEFAULT_LEARNING_RATE;
            default -> throw new IllegalArgumentException("unknown family " + family);
        };
    }

    /**
     * @param family one of {@link #FAMILIES}
     * @return its default b0
     */
    public static double defaultB0(String family) {
        return switch (family) {
            case "AdaLoss" -> AdaLoss.DEFAULT_B0;
            case "AdaGradNorm" -> AdaGradNorm.DEFAULT_B0;
            case "AdamLoss" -> AdamLoss.DEFAULT_B0;
            default -> throw new IllegalArgumentException("unknown family " + family);
        };
    }

    /**
     * @param family one of {@link #FAMILIES}
     * @return (eta, b0) to updater
     */
    public static BiFunction<Double, Double, IUpdater> factory(String family) {
        return switch (family) {
            case "AdaLoss" -> AdaLoss::new;
            case "AdaGradNorm" -> AdaGradNorm::new;
            case "AdamLoss" -> AdamLoss::new;
            default -> throw new IllegalArgumentException("unknown family " + family);
        };
    }

    /**
     * The table grid of one configuration: the published updater; each family at its defaults, over {@link #B0} at
     * its default eta and over {@link #ETA_MULTIPLES} of its default eta; Adam and SGD over their grids. A b0 equal
     * to the default is the default run (not repeated).
     *
     * @param published the configuration's own updater
     * @param reduced   true for the short suite's grid on a heavy configuration: published, defaults, and b0 at
     *                  both ends of the grid only
     * @return the settings, in report order
     */
    public static List<OptimizerSpec> table(IUpdater published, boolean reduced) {
        List<OptimizerSpec> out = new ArrayList<>();
        out.add(new OptimizerSpec("published", "published", Double.NaN, Double.NaN, Double.NaN, published));
        for (String f : FAMILIES) {
            double eta = defaultEta(f);
            double b0 = defaultB0(f);
            out.add(new OptimizerSpec(f, "default", Double.NaN, eta, b0, factory(f).apply(eta, b0)));
        }
        for (String f : FAMILIES) {
            double eta = defaultEta(f);
            for (double b : reduced ? new double[] {B0[0], B0[B0.length - 1]} : B0) {
                if (b != defaultB0(f)) {
                    out.add(new OptimizerSpec(f, "b0", b, eta, b, factory(f).apply(eta, b)));
                }
            }
        }
        if (!reduced) {
            for (String f : FAMILIES) {
                double b0 = defaultB0(f);
                for (double m : ETA_MULTIPLES) {
                    double eta = m * defaultEta(f);
                    out.add(new OptimizerSpec(f, "eta", m, eta, b0, factory(f).apply(eta, b0)));
                }
            }
            for (double lr : ADAM_LR) {
                out.add(new OptimizerSpec("Adam", "lr", lr, lr, Double.NaN, new Adam(lr)));
            }
            for (double lr : SGD_LR) {
                out.add(new OptimizerSpec("SGD", "lr", lr, lr, Double.NaN, new Sgd(lr)));
            }
        }
        return out;
    }

    /**
     * @param family    one of {@link #FAMILIES}
     * @param lo        smallest eta
     * @param hi        largest eta
     * @param perDecade points per decade
     * @param b0        the b0 of every run
     * @return eta = lo * 10^(k / perDecade) up to hi, with parameter "lr" (the absolute eta)
     */
    public static List<OptimizerSpec> etaSweep(String family, double lo, double hi, int perDecade, double b0) {
        List<OptimizerSpec> out = new ArrayList<>();
        int n = (int) Math.round(Math.log10(hi / lo) * perDecade);
        for (int k = 0; k <= n; k++) {
            double eta = roundSig(lo * Math.pow(10, (double) k / perDecade));
            out.add(new OptimizerSpec(family, "lr", eta, eta, b0, factory(family).apply(eta, b0)));
        }
        return out;
    }

    static double roundSig(double v) {
        return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3g", v));
    }
}
