package io.github.adaloss.experiments;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** Sets ND4J's OpenMP and BLAS thread counts (one thread is the fastest on the 2-core machines; see README). */
final class Threads {

    private Threads() {
    }

    static void set(int n) {
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
    }
}
