package io.github.adaloss.experiments.overparam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.realdata.Datasets;
import io.github.adaloss.experiments.run.Trainer;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The curvature behind the over-parameterization step, against closed forms and against gradient descent itself. */
class CurvatureTest {

    private static MultiLayerNetwork linear(double lr, LossFunctions.LossFunction loss, Activation out) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).updater(new Sgd(lr)).list()
                .layer(new OutputLayer.Builder(loss).nIn(4).nOut(3).activation(out).build()).build());
        net.init();
        return net;
    }

    private static DataSet iris() throws Exception {
        DataSet all = Datasets.iris();
        return new DataSet(all.getFeatures().castTo(DataType.DOUBLE), all.getLabels().castTo(DataType.DOUBLE));
    }

    @Test
    void linearModelMatchesTheClosedForm() throws Exception {
        // L = (1/(n k)) sum (x W + b - y)^2: the Hessian is (2/(n k)) [X 1]^T [X 1] (x) I_k, whatever the parameters
        DataSet d = iris();
        double[][] x = d.getFeatures().toDoubleMatrix();
        int n = x.length;
        double[][] a = new double[5][5];
        for (double[] row : x) {
            double[] r = {row[0], row[1], row[2], row[3], 1};
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    a[i][j] += r[i] * r[j];
                }
            }
        }
        double[] eig = new EigenDecomposition(new Array2DRowRealMatrix(a)).getRealEigenvalues();
        double top = 0;
        for (double e : eig) {
            top = Math.max(top, e);
        }
        double expected = 2 * top / (n * 3.0);
        MultiLayerNetwork net = linear(0.1, LossFunctions.LossFunction.MSE, Activation.IDENTITY);
        double before = net.params().sumNumber().doubleValue();
        assertEquals(expected, Curvature.lambdaMax(net, d, 60, 1), 1e-6 * expected);
        assertEquals(before, net.params().sumNumber().doubleValue(), 0, "parameters restored");
    }

    @Test
    void gradientDescentConvergesBelowTheEdgeAndDivergesAboveIt() throws Exception {
        // on the (quadratic) linear model, 2 / lambda_max is exactly the edge of full-batch gradient descent
        DataSet d = iris();
        double edge = 2 / Curvature.lambdaMax(linear(0, LossFunctions.LossFunction.MSE, Activation.IDENTITY), d, 60, 1);
        double[] below = Trainer.fullBatch(linear(0.9 * edge, LossFunctions.LossFunction.MSE, Activation.IDENTITY), d,
                300, 0).loss();
        Trainer.Curves above = Trainer.fullBatch(linear(1.1 * edge, LossFunctions.LossFunction.MSE,
                Activation.IDENTITY), d, 300, 0);
        assertTrue(below[below.length - 1] < below[0], "0.9 x edge decreases");
        assertTrue(above.diverged() || above.loss()[above.loss().length - 1] > above.loss()[0],
                "1.1 x edge blows up: " + above.loss()[above.loss().length - 1]);
    }

    @Test
    void rejectsOtherOutputLayersAndBadIterationCounts() throws Exception {
        DataSet d = iris();
        assertThrows(IllegalArgumentException.class, () -> Curvature.lambdaMax(
                linear(0.1, LossFunctions.LossFunction.MCXENT, Activation.SOFTMAX), d, 10, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Curvature.lambdaMax(
                linear(0.1, LossFunctions.LossFunction.MSE, Activation.IDENTITY), d, 0, 1));
        assertTrue(e.getMessage().contains("iterations"), e.getMessage());
    }
}
