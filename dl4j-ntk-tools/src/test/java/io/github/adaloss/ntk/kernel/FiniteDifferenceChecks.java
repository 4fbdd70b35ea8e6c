package io.github.adaloss.ntk.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One kernel path against the Jacobian by central finite differences of {@code output()} ({@link PlainJava}). */
final class FiniteDifferenceChecks {

    private FiniteDifferenceChecks() {
    }

    /**
     * Asserts the trace kernel {@code K(x, x)}, the full kernel {@code K(x, x)} and the cross trace kernel
     * {@code K(x, x2)} computed by {@code method} against the finite-difference Jacobians (step 1e-6).
     *
     * @param net    the network (double precision)
     * @param method the kernel path under test
     * @param x      first batch
     * @param x2     second batch
     * @param tol    largest relative difference accepted
     * @return the finite-difference trace kernel {@code K(x, x)}, for further comparisons
     */
    static double[][] assertMatches(MultiLayerNetwork net, EmpiricalNtk.Method method, INDArray x, INDArray x2,
                                    double tol) {
        return assertMatches(net, net::output, method, x, x2, tol);
    }

    /**
     * The structured path against finite differences ({@link #assertMatches}, tolerance {@code tol}) and its trace
     * kernel on {@code x} against the generic path (1e-10).
     */
    static void assertStructuredExact(MultiLayerNetwork net, INDArray x, INDArray x2, double tol) {
        assertMatches(net, EmpiricalNtk.Method.STRUCTURED, x, x2, tol);
        INDArray generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).build().compute(x);
        INDArray structured = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.STRUCTURED).build().compute(x);
        assertTrue(PlainJava.maxRelDiff(generic.toDoubleMatrix(), structured) < 1e-10, "vs generic path");
    }

    /** As {@link #assertMatches(MultiLayerNetwork, EmpiricalNtk.Method, INDArray, INDArray, double)} for a graph. */
    static double[][] assertMatches(ComputationGraph net, EmpiricalNtk.Method method, INDArray x, INDArray x2,
                                    double tol) {
        return assertMatches(net, in -> net.outputSingle(false, in), method, x, x2, tol);
    }

    private static double[][] assertMatches(Model net, Function<INDArray, INDArray> output, EmpiricalNtk.Method method,
                                            INDArray x, INDArray x2, double tol) {
        int[] trainable = TestNetworks.trainableIndices(net);
        double[][] j1 = PlainJava.jacobian(output, net.params(), x, trainable, 1e-6);
        double[][] j2 = PlainJava.jacobian(output, net.params(), x2, trainable, 1e-6);
        int k = j1.length / (int) x.size(0);
        double[][] full = PlainJava.gram(j1, j1);
        double[][] trace = PlainJava.trace(full, k);
        EmpiricalNtk kernel = EmpiricalNtk.builder(net).method(method).build();
        assertTrue(PlainJava.maxRelDiff(trace, kernel.compute(x)) < tol, method + ": trace kernel vs FD");
        assertTrue(PlainJava.maxRelDiff(full, EmpiricalNtk.builder(net).method(method).fullKernel().build()
                .compute(x)) < tol, method + ": full kernel vs FD");
        assertTrue(PlainJava.maxRelDiff(PlainJava.trace(PlainJava.gram(j1, j2), k), kernel.compute(x, x2)) < tol,
                method + ": cross trace kernel vs FD");
        return trace;
    }
}
