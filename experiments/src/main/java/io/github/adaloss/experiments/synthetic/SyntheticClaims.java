package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.section.Claim;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The NTK claim of the AdaLoss paper and the momentum claims of Bu, Xu and Chen on the synthetic problem (the
 * robustness claims are in {@link RobustnessClaims}), evaluated on the numbers of one run. The report prints them, the tests assert them; a claim that does not hold is reported as such.
 */
public final class SyntheticClaims {

    private SyntheticClaims() {
    }

    /**
     * @param ntk the NTK runs
     * @return the widest lazy network keeps lambda_min(H(t))/lambda_0 above 1/2
     */
    public static Claim widestNetStaysLazy(List<NtkExperiment.NtkRun> ntk) {
        NtkExperiment.NtkRun widest = null;
        for (NtkExperiment.NtkRun run : ntk) {
            if (run.lazy()
                    && (widest == null || run.run().width() > widest.run().width())) {
                widest = run;
            }
        }
        String text = "lazy training (Du et al.; the AdaLoss paper's NTK argument): the widest network's "
                + "lambda_min(H(t))/lambda_0 stays above 1/2 during AdaLoss training (first step "
                + NtkExperiment.LAZY_RHO + "x the edge)";
        if (widest == null) {
            return Claim.paper(text, false, Map.of("detail", "no NTK run"));
        }
        double ratio = NtkExperiment.minLambdaRatio(widest);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("width", widest.run().width());
        evidence.put("min ratio", ratio);
        return Claim.paper(text, ratio > 0.5, evidence);
    }

    /** Measured and predicted tail rates must agree within this relative error of their logarithms. */
    public static final double RATE_TOLERANCE = 0.1;

    /**
     * Bu, Xu and Chen: on an over-parameterized network, GD and heavy ball converge linearly at the rates of the
     * kernel's linear dynamics. For every seed and width, the fitted tail rate of each run is compared with the same
     * fit on the linearized model ({@link LinearizedDynamics}, kernel at initialization): {@code |ln(measured) /
     * ln(predicted) - 1| <= RATE_TOLERANCE}.
     *
     * @param cases the momentum experiment
     * @return the claim
     */
    public static Claim momentumRatesMatchTheKernel(List<MomentumExperiment.Case> cases) {
        StringBuilder ev = new StringBuilder();
        boolean holds = !cases.isEmpty();
        for (MomentumExperiment.Case c : cases) {
            double gd = MomentumExperiment.tailRate(c.gd().loss());
            double hb = MomentumExperiment.tailRate(c.heavy().loss());
            double pgd = c.predictedGdRate();
            double phb = c.predictedHeavyBallRate();
            holds &= ratesAgree(gd, pgd) && ratesAgree(hb, phb);
            double[] eig = c.kernel().spectrum().eigenvalues();
            ev.append(ev.length() == 0 ? "" : "; ").append(String.format(java.util.Locale.ROOT,
                    "seed %d m=%d: GD %s (kernel %s, asymptotic (1-s lambda_min)^2 = %s), heavy ball %s (kernel %s, "
                            + "asymptotic max|z|^2 = %s)", c.seed(), c.width(), RobustnessClaims.num(gd),
                    RobustnessClaims.num(pgd), RobustnessClaims.num(LinearizedDynamics.gradientDescentRate(eig,
                            c.step())), RobustnessClaims.num(hb), RobustnessClaims.num(phb),
                    RobustnessClaims.num(LinearizedDynamics.heavyBallRate(eig, c.step(), MomentumExperiment.BETA))));
        }
        return Claim.paper(String.format(java.util.Locale.ROOT, "GD and heavy ball (beta = %s, step "
                + "1/lambda_max(H(0))) converge linearly at the rates the kernel at initialization predicts (fitted "
                + "tail rates within %s%% in log of the linearized model's, every seed and width)",
                RobustnessClaims.num(MomentumExperiment.BETA), RobustnessClaims.num(100 * RATE_TOLERANCE)), holds,
                ev.toString());
    }

    /**
     * Bu, Xu and Chen: Nesterov's method with {@code beta_t = (t-1)/(t+2)} has no linear rate. Measured: its fitted
     * rate over {@code [T/2, T]} at horizons T/2, T and {@link MomentumExperiment#NESTEROV_HORIZONS} T (T the budget)
     * of the middle width's run; a linear rate would keep {@code 1 - rate} constant, a polynomial decay divides it by
     * about 4 when T grows 4x. The claim: {@code 1 - rate} at the longest horizon is at most half that at the shortest
     * (the geometric midpoint between the two), for every seed. The evidence also gives the local exponent
     * {@code p = -ln(rate) T / (2 ln 2)} of {@code L ~ t^-p}: constant for a polynomial decay, proportional to T for
     * a linear one.
     *
     * @param cases      the momentum experiment
     * @param iterations the budget T
     * @return the claim
     */
    public static Claim nesterovRateTendsToOne(List<MomentumExperiment.Case> cases, int iterations) {
        StringBuilder ev = new StringBuilder();
        boolean holds = false;
        boolean all = true;
        int longest = MomentumExperiment.NESTEROV_HORIZONS * iterations;
        for (MomentumExperiment.Case c : cases) {
            double[] loss = c.nesterov().loss();
            if (loss.length - 1 < longest) {
                continue;
            }
            holds = true;
            int[] horizons = {iterations / 2, iterations, longest};
            StringBuilder r = new StringBuilder();
            double first = Double.NaN;
            double last = Double.NaN;
            for (int h : horizons) {
                double rate = MomentumExperiment.tailRate(loss, h);
                first = Double.isNaN(first) ? rate : first;
                last = rate;
                // local power-law exponent p of L ~ t^-p over [T/2, T]: constant for a polynomial decay, growing
                // like T for a linear one
                r.append(r.length() == 0 ? "" : ", ").append("T=").append(h).append(": ")
                        .append(RobustnessClaims.num(rate)).append(" (p = ")
                        .append(RobustnessClaims.num(-Math.log(rate) * h / (2 * Math.log(2)))).append(')');
            }
            all &= 1 - last <= 0.5 * (1 - first);
            ev.append(ev.length() == 0 ? "" : "; ").append("seed ").append(c.seed()).append(" m=").append(c.width())
                    .append(": ").append(r).append(" (heavy ball ").append(RobustnessClaims.num(
                            MomentumExperiment.tailRate(c.heavy().loss()))).append(')');
        }
        return Claim.paper("Nesterov with beta_t = (t-1)/(t+2) converges sub-linearly: its fitted rate over [T/2, T] "
                + "tends to 1 as the horizon T grows (1 - rate at least halves from T = " + iterations / 2 + " to T = "
                + longest + ", every seed)", holds && all, ev.toString());
    }

    /**
     * @param measured  a fitted rate
     * @param predicted its prediction (below 1)
     * @return {@code |ln(measured) / ln(predicted) - 1| <= RATE_TOLERANCE}
     */
    public static boolean ratesAgree(double measured, double predicted) {
        return Double.isFinite(measured) && Double.isFinite(predicted) && predicted < 1
                && Math.abs(Math.log(measured) / Math.log(predicted) - 1) <= RATE_TOLERANCE;
    }
}
