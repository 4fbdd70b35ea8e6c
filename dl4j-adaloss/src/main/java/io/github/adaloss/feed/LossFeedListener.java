package io.github.adaloss.feed;

import io.github.adaloss.updater.NetworkStep;
import java.io.Serializable;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Hands each training step's mini-batch loss to the network's AdaLoss-family updater blocks, and ties those blocks
 * into one {@link NetworkStep} so that they share one accumulator and commit atomically.
 *
 * <p>Why a listener: DL4J's {@code GradientUpdater.applyUpdater(gradient, iteration, epoch)} receives neither the
 * loss nor the network, and {@code TrainingListener.onGradientCalculation} is the one hook that runs after the
 * loss and gradient of a mini-batch are computed and before the updater runs (at that point
 * {@code model.score()} is the loss of the current mini-batch at the pre-update parameters, regularization
 * included). Usage:
 * <pre>{@code
 *   net.addListeners(new LossFeedListener());   // MultiLayerNetwork or ComputationGraph
 *   wrapper.setListeners(new LossFeedListener()); // ParallelWrapper (one instance shared by the workers)
 *   sparkNet.setListeners(new LossFeedListener()); // Spark (serialized to the executors)
 * }</pre>
 * Stateless and {@link Serializable}: one instance can serve any number of networks and threads. Training with
 * AdaLoss, AdaGradNorm or AdamLoss without it fails at the first step with an {@link IllegalStateException}
 * that says how to attach it. Networks with none of these updaters are left alone.
 */
public class LossFeedListener extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A stateless loss feed. */
    public LossFeedListener() {
    }

    @Override
    public void onGradientCalculation(Model model) {
        List<NetworkStep.Member> members = UpdaterBlocks.networkStepMembers(model);
        if (members.isEmpty()) {
            return;
        }
        NetworkStep.open(UpdaterBlocks.iterationCount(model), model.score(), members);
    }

    @Override
    public String toString() {
        return "LossFeedListener()";
    }
}
