package io.github.adaloss.it.faults;

import io.github.adaloss.it.support.Nets;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.LossFeedListener;
import java.io.File;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The training JVM that {@link KillDuringCheckpointTest} kills: a 4-1024-1024-3 Iris classifier (about 1.06M
 * parameters, a checkpoint of about 4 MB) trained with AdaLoss and the loss feed, NaN labels at iterations
 * {@link #BAD_ITERATIONS} (rejected), a {@link CheckpointListener} saving at every iteration, and a line on
 * standard output right before each save ({@code SAVE i}) and right after it ({@code SAVED i}).
 */
public final class CheckpointChild {

    /** Weight-init seed. */
    static final long SEED = 11;
    /** Iterations whose mini-batch gets a NaN label. */
    static final List<Integer> BAD_ITERATIONS = List.of(2, 5);

    private CheckpointChild() {
    }

    /** @return the network of the child (no listeners) */
    static MultiLayerNetwork network() {
        return Nets.irisClassifier(new AdaLoss(), SEED, 1024, 1024);
    }

    /** @return the mini-batch of iteration {@code t} (a copy, with the fault if {@code t} is a bad iteration) */
    static DataSet batch(List<DataSet> batches, int t) {
        DataSet b = batches.get(t % batches.size()).copy();
        if (BAD_ITERATIONS.contains(t)) {
            b.getLabels().putScalar(3, 1, Double.NaN);
        }
        return b;
    }

    /** @param args checkpoint directory, number of iterations */
    public static void main(String[] args) {
        File dir = new File(args[0]);
        int iterations = Integer.parseInt(args[1]);
        List<DataSet> batches = FaultNets.batches();
        MultiLayerNetwork net = network();
        net.setListeners(announcer("SAVE"), new CheckpointListener.Builder(dir).saveEveryNIterations(1).keepAll()
                .build(), announcer("SAVED"), new LossFeedListener());
        for (int t = 0; t < iterations; t++) {
            net.fit(batch(batches, t));
        }
        System.out.println("FINISHED");
        System.out.flush();
    }

    private static BaseTrainingListener announcer(String word) {
        return new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                System.out.println(word + " " + iteration);
                System.out.flush();
            }
        };
    }
}
