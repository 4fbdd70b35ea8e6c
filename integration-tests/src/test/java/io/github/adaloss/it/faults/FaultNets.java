package io.github.adaloss.it.faults;

import io.github.adaloss.it.support.IrisData;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Data, listeners and checks shared by the fault-injection tests. */
final class FaultNets {

    private FaultNets() {
    }

    /** @return the standardized Iris data (seed 7) in 5 mini-batches of 30 */
    static List<DataSet> batches() {
        return IrisData.standardized(7).batchBy(30);
    }

    /** @return whether every entry is finite */
    static boolean finite(INDArray a) {
        return Arrays.stream(a.toDoubleVector()).allMatch(Double::isFinite);
    }

    /** @return the network's whole updater state view (a copy) */
    static double[] state(MultiLayerNetwork net) {
        INDArray s = net.getUpdater().getStateViewArray();
        return s == null ? new double[0] : s.toDoubleVector();
    }

    /** Listener placed before the loss feed: writes a value into one gradient entry when armed. */
    static final class GradientPoison extends BaseTrainingListener {
        double value;
        long index = -1;

        @Override
        public void onGradientCalculation(Model model) {
            if (index >= 0) {
                model.gradient().gradient().reshape(model.gradient().gradient().length()).putScalar(index, value);
                index = -1;
            }
        }
    }

    /** Listener placed after the loss feed: throws in the middle of the step when armed. */
    static final class Thrower extends BaseTrainingListener {
        boolean armed;

        @Override
        public void onGradientCalculation(Model model) {
            if (armed) {
                armed = false;
                throw new InjectedFailure();
            }
        }
    }

    /** The exception of {@link Thrower}. */
    static final class InjectedFailure extends RuntimeException {
        InjectedFailure() {
            super("injected listener failure");
        }
    }

    /** Listener placed first: at every iterationDone the parameters and the updater state must be finite. */
    static final class FiniteState extends BaseTrainingListener {
        long checked;
        long violations;

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            checked++;
            if (!finite(model.params()) || !Arrays.stream(state((MultiLayerNetwork) model))
                    .allMatch(Double::isFinite)) {
                violations++;
            }
        }
    }
}
