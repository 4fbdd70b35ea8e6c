package io.github.adaloss.experiments;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Sets ND4J's OpenMP and OpenBLAS thread counts at run time (one thread is the fastest on the 2-core machines; see
 * README), so that {@code --threads} works without exporting {@code OMP_NUM_THREADS}.
 */
final class Threads {

    private Threads() {
    }

    static void set(int n) {
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }
}
