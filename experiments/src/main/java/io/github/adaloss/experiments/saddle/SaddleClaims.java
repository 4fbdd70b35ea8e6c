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

    /**
     * @return the escape-time claim and the isotropy claim. The escape-time claim is the one the paper's mechanism
     *         supports: the DIAGONALLY preconditioned methods (RMSProp, Adam) leave the saddle faster than SGD (best
     *         median over each grid). The scalar-step methods (AdaLoss, AdaGrad-Norm) rescale the noise without
     *         reshaping it, so nothing predicts they beat SGD; their medians are reported, not claimed (measured:
     *         they tie or trail SGD at seeds 7 and 2024).
     */
    public static List<Claim> evaluate(SaddleEscapeExperiment.Result r) {
        List<Claim> claims = new ArrayList<>();
        int sgd = r.best("SGD").median();
        boolean faster = true;
        StringBuilder evidence = new StringBuilder("best median escape iteration (rate, seeds escaped): SGD "
                + describe(r.best("SGD")));
        for (String o : ADAPTIVE) {
            SaddleEscapeExperiment.Escapes e = r.best(o);
            if (DIAGONAL.contains(o)) {
                faster &= e.median() < sgd;
            }
            evidence.append(", ").append(o).append(DIAGONAL.contains(o) ? " " : " (not claimed) ").append(describe(e));
        }
        claims.add(Claim.paper("the diagonally preconditioned methods (RMSProp, Adam) leave the saddle faster than"
                + " SGD (median over seeds, each at the best learning rate of its grid, chosen on the same seeds); the"
                + " scalar-step AdaLoss and AdaGrad-Norm are shown for comparison", faster, evidence.toString()));
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
