package io.github.adaloss.testing;

/**
 * Independent plain-Java (double precision, no ND4J) implementations of the update equations, written from the
 * papers' formulas, for the updaters to be checked against. Each step takes the WHOLE network's gradient and the
 * step's loss and returns the update that is subtracted from the parameters.
 */
public interface ReferenceOptimizer {

    /**
     * @param gradient  the network's gradient (not modified)
     * @param loss      the mini-batch loss at the pre-update parameters
     * @param iteration the 0-based iteration
     * @return the update
     */
    double[] step(double[] gradient, double loss, int iteration);

    /** @return the accumulator b after the last step (NaN if the optimizer has none) */
    default double b() {
        return Double.NaN;
    }

    /** AdaLoss: b^2 += alpha |l - c|; update = eta / b * g. */
    static ReferenceOptimizer adaLoss(double eta, double b0, double alpha, double c) {
        return new ReferenceOptimizer() {
            double b2 = b0 * b0;

            @Override
            public double[] step(double[] g, double loss, int iteration) {
                b2 += alpha * Math.abs(loss - c);
                return scale(g, eta / Math.sqrt(b2));
            }

            @Override
            public double b() {
                return Math.sqrt(b2);
            }
        };
    }

    /** AdaGrad-Norm: b^2 += ||g||^2; update = eta / b * g. */
    static ReferenceOptimizer adaGradNorm(double eta, double b0) {
        return new ReferenceOptimizer() {
            double b2 = b0 * b0;

            @Override
            public double[] step(double[] g, double loss, int iteration) {
                double s = 0;
                for (double x : g) {
                    s += x * x;
                }
                b2 += s;
                return scale(g, eta / Math.sqrt(b2));
            }

            @Override
            public double b() {
                return Math.sqrt(b2);
            }
        };
    }

    /** AdamLoss: Adam moments with bias correction, step eta / b with b^2 += alpha |l - c|. */
    static ReferenceOptimizer adamLoss(double eta, double b0, double alpha, double c, double beta1, double beta2,
                                       double eps) {
        return new ReferenceOptimizer() {
            double b2 = b0 * b0;
            double[] m;
            double[] v;

            @Override
            public double[] step(double[] g, double loss, int iteration) {
                if (m == null) {
                    m = new double[g.length];
                    v = new double[g.length];
                }
                b2 += alpha * Math.abs(loss - c);
                int t = iteration + 1;
                double[] u = new double[g.length];
                for (int i = 0; i < g.length; i++) {
                    m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                    double mhat = m[i] / (1 - Math.pow(beta1, t));
                    double vhat = v[i] / (1 - Math.pow(beta2, t));
                    u[i] = eta / Math.sqrt(b2) * mhat / (Math.sqrt(vhat) + eps);
                }
                return u;
            }

            @Override
            public double b() {
                return Math.sqrt(b2);
            }
        };
    }

    /** Heavy ball: w_{t+1} = w_t - eta g_t + beta (w_t - w_{t-1}), i.e. update_t = eta g_t + beta update_{t-1}. */
    static ReferenceOptimizer heavyBall(double eta, double beta) {
        return new ReferenceOptimizer() {
            double[] previous;

            @Override
            public double[] step(double[] g, double loss, int iteration) {
                double[] u = new double[g.length];
                for (int i = 0; i < g.length; i++) {
                    u[i] = eta * g[i] + (previous == null ? 0 : beta * previous[i]);
                }
                previous = u;
                return u.clone();
            }
        };
    }

    private static double[] scale(double[] g, double s) {
        double[] u = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            u[i] = s * g[i];
        }
        return u;
    }
}
