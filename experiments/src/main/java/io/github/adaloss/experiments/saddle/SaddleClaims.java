package io.github.adaloss.experiments.saddle;

import io.github.adaloss.experiments.section.Claim;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The claims of Staib et al., checked on the numbers of one {@link SaddleEscapeExperiment} run. */
public final class SaddleClaims {

    /** The adaptive methods compared with SGD. */
    public static final List<String> ADAPTIVE = List.of("RMSProp", "Adam", "AdaLoss", "AdaGradNorm");

    private SaddleClaims() {
    }

    /** The diagonally preconditioned methods, the ones the paper's mechanism (noise isotropy) applies to. */
    public static final List<String> DIAGONAL = List.of("RMSProp", "Adam");

    /** The scalar-step methods with b0 = 1 (the main section's): claimed as well, never dropped after the fact. */
    public static final List<String> SCALAR = List.of("AdaLoss", "AdaGradNorm");

    /**
     * @return three claims, all on the reported seeds at rates chosen on disjoint tuning seeds: the diagonally
     *         preconditioned methods (RMSProp, Adam) leave the saddle faster than SGD; the scalar-step methods
     *         (AdaLoss, AdaGrad-Norm) do too (stated in advance; the isotropy mechanism does not predict it, since a
     *         scalar step rescales the noise without reshaping it); diagonal preconditioning makes the noise more
     *         isotropic
     */
    public static List<Claim> evaluate(SaddleEscapeExperiment.Result r) {
        List<Claim> claims = new ArrayList<>();
        int sgd = r.best("SGD").median();
        StringBuilder evidence = new StringBuilder("median escape iteration on the " + r.config().seeds()
                + " reported seeds at the rate chosen on " + SaddleNoiseControl.TUNING_SEEDS + " tuning seeds (rate, "
                + "seeds escaped): SGD " + describe(r.best("SGD")));
        boolean diagonal = true;
        boolean scalar = true;
        for (String o : SaddleEscapeExperiment.OPTIMIZERS) {
            if (o.equals("SGD")) {
                continue;
            }
            SaddleEscapeExperiment.Escapes e = r.best(o);
            diagonal &= !DIAGONAL.contains(o) || (long) e.median() < sgd;
            scalar &= !SCALAR.contains(o) || (long) e.median() < sgd;
            evidence.append(", ").append(o).append(' ').append(describe(e));
        }
        String tuned = " (median over the reported seeds, each at the rate its grid gives on tuning seeds disjoint "
                + "from them)";
        claims.add(Claim.paper("the diagonally preconditioned methods (RMSProp, Adam) leave the saddle faster than"
                + " SGD" + tuned, diagonal, evidence.toString()));
        claims.add(Claim.paper("the scalar-step methods (AdaLoss, AdaGrad-Norm with b0 = 1) leave the saddle faster "
                + "than SGD" + tuned, scalar, evidence.toString()));
        NoiseIsotropy iso = r.isotropy();
        claims.add(Claim.paper("diagonal preconditioning (RMSProp/Adam) makes the gradient noise near the saddle "
                + "more isotropic than SGD's raw noise", iso.preconditioned() > iso.raw(), String.format(Locale.ROOT,
                "participation ratio (tr C)^2/(P tr C^2): raw %.4f, preconditioned %.4f (1 = isotropic, 1/P = %.4f)",
                iso.raw(), iso.preconditioned(), 1.0 / iso.parameters())));
        return claims;
    }

    private static String describe(SaddleEscapeExperiment.Escapes e) {
        return String.format(Locale.ROOT, "%s (lr=%s, %d/%d)", show(e.median()), e.rate(), e.escaped(),
                e.escape().length);
    }

    /** @return the iteration count, or "not escaped" for a censored median */
    public static String show(int median) {
        return median == Integer.MAX_VALUE ? "not escaped" : Integer.toString(median);
    }
}
