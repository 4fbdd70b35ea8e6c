package io.github.adaloss.testing;

import io.github.adaloss.updater.LossFeedListener;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.FixedSchedule;

/**
 * Linear regression {@code yhat = x w + b} with DL4J's MSE loss, small enough to differentiate by hand:
 * {@code L = (1/n) sum_i (yhat_i - y_i)^2}, {@code dL/dw = (2/n) sum_i (yhat_i - y_i) x_i},
 * {@code dL/db = (2/n) sum_i (yhat_i - y_i)}. The bias gets an updater that is mathematically identical to the
 * weights' but not {@code equals} (a {@link FixedSchedule} in place of the constant learning rate), so DL4J puts
 * W and b in two different updater blocks and the network-level coupling is exercised.
 */
public final class LinearRegressionFixture {

    /** Examples. */
    public static final int N = 6;
    /** Input features. */
    public static final int D = 3;

    private final double[][] x = new double[N][D];
    private final double[] y = new double[N];

    /** @param seed data seed */
    public LinearRegressionFixture(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < N; i++) {
            double t = 0.3;
            for (int j = 0; j < D; j++) {
                x[i][j] = r.nextGaussian();
                t += (j + 1) * 0.5 * x[i][j];
            }
            y[i] = t + 0.1 * r.nextGaussian();
        }
    }

    /** @return the data set (DOUBLE) */
    public DataSet dataSet() {
        return new DataSet(Nd4j.create(x), Nd4j.create(y, new long[] {N, 1}));
    }

    /** @return an updater equal in maths to {@code updater} but not {@code equals}, to force a separate block */
    public static IUpdater splitVariant(IUpdater updater) {
        IUpdater copy = updater.clone();
        double lr = updater.getLearningRate(0, 0);
        copy.setLrAndSchedule(lr, new FixedSchedule(lr));
        return copy;
    }

    /** @return a MultiLayerNetwork (2 updater blocks) with the loss feed attached */
    public MultiLayerNetwork multiLayerNetwork(IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .updater(updater).biasUpdater(splitVariant(updater)).weightInit(WeightInit.XAVIER).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(D).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.addListeners(new LossFeedListener());
        return net;
    }

    /** @return a ComputationGraph of the same model (2 updater blocks) with the loss feed attached */
    public ComputationGraph computationGraph(IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .updater(updater).biasUpdater(splitVariant(updater)).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(D).nOut(1)
                        .activation(Activation.IDENTITY).build(), "in")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        net.addListeners(new LossFeedListener());
        return net;
    }

    /** @return the MSE loss at parameters {@code p = [w_1..w_D, b]} */
    public double loss(double[] p) {
        double s = 0;
        for (int i = 0; i < N; i++) {
            double e = predict(p, i) - y[i];
            s += e * e;
        }
        return s / N;
    }

    /** @return the gradient of {@link #loss} at {@code p = [w_1..w_D, b]} */
    public double[] gradient(double[] p) {
        double[] g = new double[D + 1];
        for (int i = 0; i < N; i++) {
            double e = predict(p, i) - y[i];
            for (int j = 0; j < D; j++) {
                g[j] += 2 * e * x[i][j] / N;
            }
            g[D] += 2 * e / N;
        }
        return g;
    }

    private double predict(double[] p, int i) {
        double s = p[D];
        for (int j = 0; j < D; j++) {
            s += p[j] * x[i][j];
        }
        return s;
    }
}
