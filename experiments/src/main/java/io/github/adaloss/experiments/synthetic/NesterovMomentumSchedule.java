package io.github.adaloss.experiments.synthetic;

import org.nd4j.linalg.schedule.ISchedule;

/**
 * Nesterov's momentum sequence {@code beta_t = (t - 1) / (t + 2)}, with {@code t = iteration + 1}, as in Bu, Xu,
 * Chen (arXiv:2010.13165), for DL4J's {@code Nesterovs} updater.
 */
public final class NesterovMomentumSchedule implements ISchedule {

    private static final long serialVersionUID = 1L;

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = iteration + 1;
        return (t - 1) / (t + 2);
    }

    @Override
    public ISchedule clone() {
        return new NesterovMomentumSchedule();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NesterovMomentumSchedule;
    }

    @Override
    public int hashCode() {
        return NesterovMomentumSchedule.class.hashCode();
    }
}
