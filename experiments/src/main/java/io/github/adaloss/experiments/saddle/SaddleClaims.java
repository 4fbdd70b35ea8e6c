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

    /** @return the escape-time claim and the isotropy claim */
    public static List<Claim> evaluate(SaddleEscapeExperiment.Result r) {
        List<Claim> claims = new ArrayList<>();
        int sgd = r.best("SGD").median();
        boolean faster = true;
        StringBuilder evidence = new StringBuilder("best median escape iteration: SGD " + show(sgd));
        for (String o : ADAPTIVE) {
            int m = r.best(o).median();
            faster &= m < sgd;
            evidence.append(", ").append(o).append(' ').append(show(m));
        }
        claims.add(new Claim("adaptive methods leave the saddle faster than SGD (median over seeds, each at the"
                + " best learning rate of its grid)", faster, evidence.toString()));
        NoiseIsotropy iso = r.isotropy();
        claims.add(new Claim("diagonal preconditioning (RMSProp/Adam) makes the gradient noise near the saddle "
                + "more isotropic than SGD's raw noise", iso.preconditioned() > iso.raw(), String.format(Locale.ROOT,
                "participation ratio (tr C)^2/(P tr C^2): raw %.4f, preconditioned %.4f (1 = isotropic, 1/P = %.4f)",
                iso.raw(), iso.preconditioned(), 1.0 / iso.parameters())));
        return claims;
    }

    /** @return the iteration count, or "not escaped" for a censored median */
    public static String show(int median) {
        return median == Integer.MAX_VALUE ? "not escaped" : Integer.toString(median);
    }
}
