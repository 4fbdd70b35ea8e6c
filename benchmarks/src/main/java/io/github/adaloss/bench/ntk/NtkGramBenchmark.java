package io.github.adaloss.bench.ntk;

import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.kernel.NtkSpectrum;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The exact trace NTK of a 784-1024-1024-1 MLP (ReLU hidden layers, identity output, 1,854,465 parameters) on n
 * probe inputs, side by side with what bounds it. Every method is one single-shot call; the README table and
 * {@link NtkReport} turn the JMH CSV into the ratios of issue 3.
 *
 * <p>Data types: the network is FLOAT (DL4J's default). The dense path ({@code EmpiricalNtk}, method DENSE)
 * always computes in DOUBLE from the parameters, so its GEMM floor and the GEMM rate are measured in DOUBLE; the
 * same dense call on a DOUBLE copy of the network ({@link #denseTraceDoubleNet}) checks that the network's own
 * type does not matter, and {@link #gemm1024Float} shows what a FLOAT dense path could gain. The generic path
 * back-propagates in the network's type (FLOAT) and accumulates {@code J J^T} in DOUBLE.
 *
 * <ul>
 *   <li>{@link #denseTrace}: the dense ("fast") path, n = 1000;</li>
 *   <li>{@link #genericTrace}: the generic per-example path on the same network and the first n of the same
 *       inputs, n = 50, 100, 200 ({@link Generic#n}); n = 1000 would take several minutes per call, so
 *       {@link NtkReport} fits its cost model (per-example back-propagations and Jacobian block products, both
 *       counted exactly from the tiling) on these sizes and extrapolates. The memory budget is pinned to
 *       {@link #GENERIC_BUDGET_BYTES} (the default on a 6 GiB heap) so that the tiling is reproducible;</li>
 *   <li>{@link #gemmFloor}: exactly the matrix products the dense path cannot avoid at n = 1000, in DOUBLE, as
 *       plain {@code mmul}: the forward GEMMs {@code X W1}, {@code A1 W2}, {@code A2 W3}, the backward GEMMs
 *       {@code Delta3 W3^T}, {@code Delta2 W2^T} (none is needed below layer 1), and the n x n Grams
 *       {@code A_l A_l^T}, {@code Delta_l Delta_l^T} of the three layers: {@link #FLOOR_MACS} multiply-adds;</li>
 *   <li>{@link #gemm1024}, {@link #gemm1024Float}: a 1024 x 1024 x 1024 GEMM (2 * 1024^3 flops) for the
 *       machine's GEMM rate, DOUBLE and FLOAT;</li>
 *   <li>{@link #eigen}: {@code NtkSpectrum.of} of the dense-path NTK of the same network at n = 1000 and 2000
 *       (a real kernel spectrum: a synthetic low-rank-plus-identity matrix deflates much faster);
 *       {@link #eigenvaluesOnly}: LAPACK {@code dsyev} with {@code jobz = 'N'} on the same matrix, for comparison
 *       ({@code NtkSpectrum.of} calls LAPACK {@code dsyev} for eigenvalues only, after symmetrizing a copy and
 *       checking for non-finite entries).</li>
 * </ul>
 * Run with {@code OMP_NUM_THREADS=1} (README): single-threaded OpenBLAS, single-threaded ND4J.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xms1g"})
public class NtkGramBenchmark {

    /** Probe inputs of the dense path and the GEMM floor. */
    public static final int N = 1000;

    /** Hidden width. */
    public static final int WIDTH = 1024;

    /** Input dimension. */
    public static final int INPUTS = 784;

    /** Memory budget of the generic path: a quarter of a 6 GiB heap, what the default gives with -Xmx6g. */
    public static final long GENERIC_BUDGET_BYTES = 6L * 1024 * 1024 * 1024 / 4;

    /** Multiply-adds of {@link #gemmFloor} at n = {@link #N}. */
    public static final double FLOOR_MACS = floorMacs(N);

    /**
     * @param n probe inputs
     * @return multiply-adds of the products the dense path cannot avoid for the 784-1024-1024-1 MLP
     */
    public static double floorMacs(long n) {
        double forward = (double) n * INPUTS * WIDTH + (double) n * WIDTH * WIDTH + (double) n * WIDTH;
        double backward = (double) n * WIDTH + (double) n * WIDTH * WIDTH;
        double grams = (double) n * n * (INPUTS + WIDTH + WIDTH) + (double) n * n * (WIDTH + WIDTH + 1);
        return forward + backward + grams;
    }

    static MultiLayerNetwork network(DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42).dataType(type)
                .updater(new Sgd(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(INPUTS).nOut(WIDTH).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(WIDTH).nOut(WIDTH).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(WIDTH).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    static INDArray inputs(int n) {
        Nd4j.getRandom().setSeed(7);
        return Nd4j.rand(DataType.FLOAT, n, INPUTS);
    }

    /** The FLOAT network (seed 42) and n = 1000 probe inputs (uniform [0, 1), like pixel intensities). */
    @State(Scope.Benchmark)
    public static class Dense {
        MultiLayerNetwork net;
        MultiLayerNetwork doubleNet;
        INDArray x;

        /** Builds the networks and the inputs. */
        @Setup(Level.Trial)
        public void setUp() {
            net = network(DataType.FLOAT);
            doubleNet = net.convertDataType(DataType.DOUBLE);
            x = inputs(N);
        }
    }

    /** The same network and the first n of the same inputs, for the generic path. */
    @State(Scope.Benchmark)
    public static class Generic {
        /** Probe inputs. */
        @Param({"50", "100", "200"})
        public int n;

        MultiLayerNetwork net;
        INDArray x;

        /** Builds the network and the inputs. */
        @Setup(Level.Trial)
        public void setUp() {
            net = network(DataType.FLOAT);
            x = inputs(N).get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup();
        }
    }

    /** DOUBLE operands of the products the dense path cannot avoid at n = 1000 (values do not change GEMM time). */
    @State(Scope.Benchmark)
    public static class Floor {
        INDArray x;
        INDArray w1;
        INDArray w2;
        INDArray w3;
        INDArray a1;
        INDArray a2;
        INDArray d1;
        INDArray d2;
        INDArray d3;

        /** Creates the operands. */
        @Setup(Level.Trial)
        public void setUp() {
            MultiLayerNetwork net = network(DataType.FLOAT);
            x = inputs(N).castTo(DataType.DOUBLE);
            w1 = net.getLayer(0).getParam("W").castTo(DataType.DOUBLE);
            w2 = net.getLayer(1).getParam("W").castTo(DataType.DOUBLE);
            w3 = net.getLayer(2).getParam("W").castTo(DataType.DOUBLE);
            a1 = Nd4j.rand(DataType.DOUBLE, N, WIDTH);
            a2 = Nd4j.rand(DataType.DOUBLE, N, WIDTH);
            d1 = Nd4j.rand(DataType.DOUBLE, N, WIDTH);
            d2 = Nd4j.rand(DataType.DOUBLE, N, WIDTH);
            d3 = Nd4j.rand(DataType.DOUBLE, N, 1);
        }
    }

    /** Two random 1024 x 1024 matrices in DOUBLE and in FLOAT. */
    @State(Scope.Benchmark)
    public static class Square {
        INDArray a;
        INDArray b;
        INDArray af;
        INDArray bf;

        /** Creates the matrices. */
        @Setup(Level.Trial)
        public void setUp() {
            a = Nd4j.rand(DataType.DOUBLE, 1024, 1024);
            b = Nd4j.rand(DataType.DOUBLE, 1024, 1024);
            af = a.castTo(DataType.FLOAT);
            bf = b.castTo(DataType.FLOAT);
        }
    }

    /** The dense-path NTK of the benchmark network on n inputs: the matrix whose spectrum is timed. */
    @State(Scope.Benchmark)
    public static class Gram {
        /** Size of the Gram matrix. */
        @Param({"1000", "2000"})
        public int n;

        INDArray gram;

        /** Computes the kernel. */
        @Setup(Level.Trial)
        public void setUp() {
            gram = EmpiricalNtk.builder(network(DataType.FLOAT)).method(EmpiricalNtk.Method.DENSE).build()
                    .compute(inputs(n));
        }
    }

    /**
     * @param s state
     * @return the dense-path trace NTK, n = 1000, FLOAT network
     */
    @Benchmark
    public INDArray denseTrace(Dense s) {
        return EmpiricalNtk.builder(s.net).method(EmpiricalNtk.Method.DENSE).build().compute(s.x);
    }

    /**
     * @param s state
     * @return the dense-path trace NTK, n = 1000, the same network converted to DOUBLE
     */
    @Benchmark
    public INDArray denseTraceDoubleNet(Dense s) {
        return EmpiricalNtk.builder(s.doubleNet).method(EmpiricalNtk.Method.DENSE).build().compute(s.x);
    }

    /**
     * @param s state
     * @return the generic-path trace NTK on the first n inputs
     */
    @Benchmark
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public INDArray genericTrace(Generic s) {
        return EmpiricalNtk.builder(s.net).method(EmpiricalNtk.Method.GENERIC).memoryBudgetBytes(GENERIC_BUDGET_BYTES)
                .build().compute(s.x);
    }

    /**
     * @param f operands
     * @return the last of the products the dense path cannot avoid, n = 1000, DOUBLE
     */
    @Benchmark
    public INDArray gemmFloor(Floor f) {
        f.x.mmul(f.w1);                           // forward, layer 1: n x 784 x 1024
        f.a1.mmul(f.w2);                          // forward, layer 2: n x 1024 x 1024
        f.a2.mmul(f.w3);                          // forward, layer 3: n x 1024 x 1
        f.d3.mmul(f.w3.transpose());              // backward into layer 2: n x 1 x 1024
        f.d2.mmul(f.w2.transpose());              // backward into layer 1: n x 1024 x 1024
        f.x.mmul(f.x.transpose());                // Gram of layer-1 inputs: n x 784 x n
        f.a1.mmul(f.a1.transpose());              // Gram of layer-2 inputs: n x 1024 x n
        f.a2.mmul(f.a2.transpose());              // Gram of layer-3 inputs: n x 1024 x n
        f.d1.mmul(f.d1.transpose());              // Gram of layer-1 deltas: n x 1024 x n
        f.d2.mmul(f.d2.transpose());              // Gram of layer-2 deltas: n x 1024 x n
        return f.d3.mmul(f.d3.transpose());       // Gram of layer-3 deltas: n x 1 x n
    }

    /**
     * @param s operands
     * @return a 1024 x 1024 x 1024 DOUBLE GEMM
     */
    @Benchmark
    @Warmup(iterations = 5)
    @Measurement(iterations = 20)
    public INDArray gemm1024(Square s) {
        return s.a.mmul(s.b);
    }

    /**
     * @param s operands
     * @return a 1024 x 1024 x 1024 FLOAT GEMM
     */
    @Benchmark
    @Warmup(iterations = 5)
    @Measurement(iterations = 20)
    public INDArray gemm1024Float(Square s) {
        return s.af.mmul(s.bf);
    }

    /**
     * @param g the Gram matrix
     * @return all eigenvalues through {@code NtkSpectrum.of}
     */
    @Benchmark
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public NtkSpectrum eigen(Gram g) {
        return NtkSpectrum.of(g.gram);
    }

    /**
     * @param g the Gram matrix
     * @return all eigenvalues from LAPACK {@code dsyev} without eigenvectors, on a copy
     */
    @Benchmark
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public INDArray eigenvaluesOnly(Gram g) {
        INDArray a = g.gram.dup('f');
        INDArray ev = Nd4j.create(DataType.DOUBLE, a.rows());
        Nd4j.getBlasWrapper().lapack().syev('N', 'L', a, ev);
        return ev;
    }
}
