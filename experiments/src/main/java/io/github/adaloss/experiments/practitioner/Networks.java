package io.github.adaloss.experiments.practitioner;

import java.util.function.Function;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The one place the practitioner code tells a {@link MultiLayerNetwork} from a {@link ComputationGraph} (DL4J's
 * {@link Model} has no fit, score-of-a-batch or output of its own): fitting and scoring a mini-batch, the gradient at
 * the current parameters, the test output and the layers, for {@link Runner}, {@link FirstStep} and
 * {@link RowAdaGradNorm}. The configurations' graphs have one input and one output.
 */
final class Networks {

    private Networks() {
    }

    /**
     * @param model a MultiLayerNetwork or a ComputationGraph
     * @param mln   what to do with a MultiLayerNetwork
     * @param graph what to do with a ComputationGraph
     * @param <T>   the result type
     * @return the result of the branch that applies
     * @throws IllegalArgumentException for any other model, naming its class
     */
    static <T> T either(Model model, Function<MultiLayerNetwork, T> mln, Function<ComputationGraph, T> graph) {
        if (model instanceof MultiLayerNetwork m) {
            return mln.apply(m);
        }
        if (model instanceof ComputationGraph g) {
            return graph.apply(g);
        }
        throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    /** One update on {@code batch}. */
    static void fit(Model model, DataSet batch) {
        either(model, m -> {
            m.fit(batch);
            return null;
        }, g -> {
            g.fit(batch);
            return null;
        });
    }

    /** @return the loss of {@code batch} at the current parameters (with regularization, as DL4J's score) */
    static double score(Model model, DataSet batch) {
        return either(model, m -> m.score(batch), g -> g.score(batch));
    }

    /**
     * Computes the gradient and score of {@code batch} at the current parameters (then read by {@link Model#score()}
     * and {@link Model#gradient()}); the parameters do not move. The network's input masks are set from the batch.
     */
    static void computeGradientAndScore(Model model, DataSet batch) {
        either(model, m -> {
            m.setInput(batch.getFeatures());
            m.setLabels(batch.getLabels());
            m.setLayerMaskArrays(batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
            m.computeGradientAndScore();
            return null;
        }, g -> {
            g.setInputs(batch.getFeatures());
            g.setLabels(batch.getLabels());
            g.computeGradientAndScore(LayerWorkspaceMgr.noWorkspaces());
            return null;
        });
    }

    /** @return the network's output on {@code test}'s features (inference mode, with its masks) */
    static INDArray output(Model model, DataSet test) {
        return either(model,
                m -> m.output(test.getFeatures(), false, test.getFeaturesMaskArray(), test.getLabelsMaskArray()),
                g -> g.outputSingle(false, test.getFeatures()));
    }

    /** @return the network's layers */
    static Layer[] layers(Model model) {
        return either(model, MultiLayerNetwork::getLayers, ComputationGraph::getLayers);
    }
}
