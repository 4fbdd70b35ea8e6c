package io.github.adaloss.updater;

import java.io.Serializable;
import java.util.Objects;

/**
 * What the {@link LossFeedListener} does when a training step overshoots: the options of the step recovery.
 *
 * <p><b>Recovery (the default).</b> Under an AdaLoss-family updater ({@link AdaLoss}, {@link AdaGradNorm},
 * {@link AdamLoss}), a step is rejected when the mini-batch loss {@code l_t} that DL4J computed at the current
 * parameters is NaN or infinite, when the network's gradient or the step's update holds a NaN or an infinity, or
 * when the loss <em>explodes</em>:
 * <pre>
 *   d_t = |l_t - c|                      (c = offset; 0 for AdaGrad-Norm)
 *   m   = exponential average of the accepted d (weight 0.1), restarted at the first accepted loss after a rollback
 *   explosion:  d_t > explosionFactor * max(m, b0^2 / alpha)     (alpha = 1 for AdaGrad-Norm)
 *               and at least one update was applied since the snapshot
 * </pre>
 * The loss at the snapshot's own parameters (the first step, the step after a rollback) is never an explosion,
 * and the floor {@code b0^2 / alpha} (the loss scale {@code b0} was chosen for) keeps a near-zero loss, such as an
 * already fitted first mini-batch, from making every later ordinary loss an explosion. A rejected step:
 * <ol>
 *   <li>is not applied: in place of DL4J's {@code params -= update} (see {@link GuardedStepFunction}), the
 *       parameters (BatchNorm running statistics included: DL4J stores them as parameters) and the whole updater
 *       state of the network (AdamLoss {@code m}, {@code v}, HeavyBall velocity, {@code b}, and the state of any
 *       other updater in the network) are restored from the last snapshot, so weight decay, L1/L2 terms and other
 *       updaters' effects of that step never take effect and no listener's {@code iterationDone} sees them;</li>
 *   <li>grows the accumulator: {@code b^2 <- bGrowth * b^2}, where {@code b^2} is the value before the step. The
 *       default {@code bGrowth = 4} halves the step {@code eta / b} at each rejection, a bisection in log-scale
 *       towards a stable step: a step {@code 2^k} times too large is corrected after {@code k} rejections. The
 *       rejected loss itself is NOT added to {@code b^2} (AdaLoss would add it if the step were accepted): an
 *       overshoot's loss says nothing about the loss scale of training, and adding, say, {@code 1e30} would
 *       freeze the step for the rest of the run;</li>
 *   <li>is counted once and logged once (WARN), however many loss feeds the network has; training continues with
 *       the next mini-batch.</li>
 * </ol>
 * After {@code maxConsecutiveRejections} rejections in a row the listener restores the snapshot one last time
 * and throws {@link NonFiniteValueException}: the parameters never hold NaN when it gives up. A non-finite
 * loss before any snapshot exists (the very first step this listener sees on a network) cannot be rolled back
 * and throws as in fail-fast mode.
 *
 * <p><b>Snapshots.</b> One copy of the parameters and one of the updater state per network (memory: {@code P}
 * numbers plus the updater state, e.g. {@code 3P} in all for AdamLoss, {@code P} plus a few numbers for AdaLoss),
 * refreshed at an accepted step every {@code snapshotEvery} steps (default 10), so the per-step cost is one copy
 * pass every 10 steps. A rollback therefore undoes up to {@code snapshotEvery} accepted steps, not just the last
 * one; {@code snapshotEvery = 1} rolls back exactly one step at the cost of a copy every step.
 *
 * <p><b>Fail fast.</b> {@link #failFast()}: a non-finite loss or gradient throws {@link NonFiniteValueException}
 * before anything changes; a non-finite update (known only once the updaters advanced their state) restores the
 * last snapshot and throws; exploding finite losses are left to AdaLoss. Snapshots are kept in this mode too.
 *
 * <p>Immutable and {@link Serializable}.
 */
public final class Recovery implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Default {@link #getExplosionFactor()}: a loss ten times the typical accepted loss (or floor) is an overshoot. */
    public static final double DEFAULT_EXPLOSION_FACTOR = 10.0;
    /** Default {@link #getBGrowth()}: {@code b^2 *= 4} halves the step at each rejection. */
    public static final double DEFAULT_B_GROWTH = 4.0;
    /** Default {@link #getSnapshotEvery()}. */
    public static final int DEFAULT_SNAPSHOT_EVERY = 10;
    /** Default {@link #getMaxConsecutiveRejections()}: the step can shrink by {@code 2^20 ~ 1e6} before giving up. */
    public static final int DEFAULT_MAX_CONSECUTIVE_REJECTIONS = 20;

    private static final Recovery DEFAULTS = builder().build();
    private static final Recovery FAIL_FAST = new Recovery(false, DEFAULT_EXPLOSION_FACTOR, DEFAULT_B_GROWTH,
            DEFAULT_SNAPSHOT_EVERY, DEFAULT_MAX_CONSECUTIVE_REJECTIONS);

    private final boolean enabled;
    private final double explosionFactor;
    private final double bGrowth;
    private final int snapshotEvery;
    private final int maxConsecutiveRejections;

    private Recovery(boolean enabled, double explosionFactor, double bGrowth, int snapshotEvery,
                     int maxConsecutiveRejections) {
        if (!(explosionFactor > 1)) {
            throw new IllegalArgumentException("Recovery: explosionFactor must be > 1 (or +Infinity to detect only "
                    + "non-finite losses), got " + explosionFactor);
        }
        if (!(bGrowth > 1) || Double.isInfinite(bGrowth)) {
            throw new IllegalArgumentException("Recovery: bGrowth must be > 1 and finite, got " + bGrowth);
        }
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("Recovery: snapshotEvery must be >= 1, got " + snapshotEvery);
        }
        if (maxConsecutiveRejections < 1) {
            throw new IllegalArgumentException("Recovery: maxConsecutiveRejections must be >= 1, got "
                    + maxConsecutiveRejections);
        }
        this.enabled = enabled;
        this.explosionFactor = explosionFactor;
        this.bGrowth = bGrowth;
        this.snapshotEvery = snapshotEvery;
        this.maxConsecutiveRejections = maxConsecutiveRejections;
    }

    /** @return recovery on, every option at its {@code DEFAULT_*} value */
    public static Recovery defaults() {
        return DEFAULTS;
    }

    /** @return recovery off: a non-finite loss or gradient throws {@link NonFiniteValueException} */
    public static Recovery failFast() {
        return FAIL_FAST;
    }

    /** @return a builder starting from the defaults (recovery on) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return whether overshooting steps are rolled back (false: fail fast) */
    public boolean isEnabled() {
        return enabled;
    }

    /** @return {@code f > 1}: a finite loss above {@code f} times max(typical loss, floor) is rejected (see above) */
    public double getExplosionFactor() {
        return explosionFactor;
    }

    /** @return the factor by which a rejection multiplies {@code b^2} (at least) */
    public double getBGrowth() {
        return bGrowth;
    }

    /** @return a snapshot is refreshed at an accepted step once this many steps have passed since the last one */
    public int getSnapshotEvery() {
        return snapshotEvery;
    }

    /** @return how many rejections in a row are tolerated before {@link NonFiniteValueException} */
    public int getMaxConsecutiveRejections() {
        return maxConsecutiveRejections;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Recovery r && enabled == r.enabled && Double.compare(explosionFactor, r.explosionFactor) == 0
                && Double.compare(bGrowth, r.bGrowth) == 0 && snapshotEvery == r.snapshotEvery
                && maxConsecutiveRejections == r.maxConsecutiveRejections;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, explosionFactor, bGrowth, snapshotEvery, maxConsecutiveRejections);
    }

    @Override
    public String toString() {
        return enabled ? "Recovery(explosionFactor=" + explosionFactor + ", bGrowth=" + bGrowth + ", snapshotEvery="
                + snapshotEvery + ", maxConsecutiveRejections=" + maxConsecutiveRejections + ")" : "Recovery(failFast)";
    }

    /** Builder for {@link Recovery}; unset fields keep their {@code DEFAULT_*} value and recovery is on. */
    public static final class Builder {
        private double explosionFactor = DEFAULT_EXPLOSION_FACTOR;
        private double bGrowth = DEFAULT_B_GROWTH;
        private int snapshotEvery = DEFAULT_SNAPSHOT_EVERY;
        private int maxConsecutiveRejections = DEFAULT_MAX_CONSECUTIVE_REJECTIONS;

        private Builder() {
        }

        /** @param value {@code > 1}; {@code Double.POSITIVE_INFINITY} rejects only non-finite steps @return this */
        public Builder explosionFactor(double value) {
            this.explosionFactor = value;
            return this;
        }

        /** @param value {@code > 1} @return this */
        public Builder bGrowth(double value) {
            this.bGrowth = value;
            return this;
        }

        /** @param value {@code >= 1} @return this */
        public Builder snapshotEvery(int value) {
            this.snapshotEvery = value;
            return this;
        }

        /** @param value {@code >= 1} @return this */
        public Builder maxConsecutiveRejections(int value) {
            this.maxConsecutiveRejections = value;
            return this;
        }

        /** @return the validated options */
        public Recovery build() {
            return new Recovery(true, explosionFactor, bGrowth, snapshotEvery, maxConsecutiveRejections);
        }
    }
}
