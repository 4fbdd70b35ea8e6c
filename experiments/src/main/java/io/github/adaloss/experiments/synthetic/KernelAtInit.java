package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.kernel.NtkSpectrum;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The kernel of one width's network at initialization, from which every step of the synthetic experiments is derived
 * before any training run: the empirical NTK Gram {@code H(0)} of the training inputs, its spectrum, the
 * gradient-descent stability edge {@code 2 / lambda_max(H(0))}, the initial loss {@code l_0 = 1/2 ||f(X) - y||^2}
 * and the linearized dynamics ({@link LinearizedDynamics}).
 *
 * @param width    m
 * @param spectrum the eigenvalues of H(0)
 * @param dynamics the linearized model of the width's network
 */
public record KernelAtInit(int width, NtkSpectrum spectrum, LinearizedDynamics dynamics) {

    /**
     * @param problem the data and networks
     * @param width   m
     * @return the kernel of the freshly initialized network of that width
     */
    public static KernelAtInit of(SyntheticProblem problem, int width) {
        MultiLayerNetwork net = problem.network(width, new Sgd(0.0));
        DataSet data = problem.data();
        INDArray gram = EmpiricalNtk.gram(net, data.getFeatures());
        double[] r0 = net.output(data.getFeatures()).sub(data.getLabels()).toDoubleVector();
        return new KernelAtInit(width, NtkSpectrum.of(gram), new LinearizedDynamics(gram.toDoubleMatrix(), r0));
    }

    /** @return the gradient-descent stability edge {@code 2 / lambda_max(H(0))} */
    public double edge() {
        return 2 / spectrum.lambdaMax();
    }

    /** @return the initial loss {@code l_0 = 1/2 ||f(X) - y||^2} */
    public double initialLoss() {
        return dynamics.initialLoss();
    }
}
