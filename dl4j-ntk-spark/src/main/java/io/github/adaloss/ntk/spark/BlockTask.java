package io.github.adaloss.ntk.spark;

import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The task of {@link SparkNtkGram}: one block {@code K[i0:i1, j0:j1]} of the Gram ({@code {i0, i1, j0, j1}} in,
 * a {@link Block} out) by {@link EmpiricalNtk} on the executor. The network and the features are deserialized once
 * per executor thread and broadcast (a DL4J network is not safe for concurrent use, so each task thread of an
 * executor keeps its own copy) and kept while the broadcast lives.
 */
final class BlockTask implements Function<int[], Block> {

    private static final long serialVersionUID = 1L;

    /** Per executor JVM: (model broadcast id, thread id) -> the deserialized network, features and kernel. */
    private static final Map<String, Local> LOCAL = new ConcurrentHashMap<>();

    private final Broadcast<byte[]> model;
    private final Broadcast<byte[]> features;
    private final boolean graph;
    private final EmpiricalNtk.Method method;
    private final long memoryBudgetBytes;
    private final Integer output;

    BlockTask(Broadcast<byte[]> model, Broadcast<byte[]> features, boolean graph, EmpiricalNtk.Method method,
              long memoryBudgetBytes, Integer output) {
        this.model = model;
        this.features = features;
        this.graph = graph;
        this.method = method;
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.output = output;
    }

    private record Local(INDArray x, EmpiricalNtk kernel) {
    }

    @Override
    public Block call(int[] range) {
        String key = model.id() + "/" + Thread.currentThread().getId();
        Local local = LOCAL.computeIfAbsent(key, k -> load());
        INDArray xi = rows(local.x(), range[0], range[1]);
        INDArray block;
        if (range[0] == range[2]) {
            block = local.kernel().compute(xi);
        } else {
            block = local.kernel().compute(xi, rows(local.x(), range[2], range[3]));
        }
        float[] values = block.castTo(DataType.FLOAT).dup('c').data().asFloat();
        return new Block(range[0], range[2], range[1] - range[0], range[3] - range[2], values,
                ProcessHandle.current().pid());
    }

    private Local load() {
        // drop the entries of broadcasts that are gone (earlier Grams on this executor)
        LOCAL.keySet().removeIf(k -> !k.startsWith(model.id() + "/"));
        Model net;
        try (ByteArrayInputStream in = new ByteArrayInputStream(model.value())) {
            net = graph ? ModelSerializer.restoreComputationGraph(in, false)
                    : ModelSerializer.restoreMultiLayerNetwork(in, false);
        } catch (IOException e) {
            throw new UncheckedIOException("SparkNtkGram: could not restore the network on the executor", e);
        }
        EmpiricalNtk.Builder b = EmpiricalNtk.builder(net).method(method).memoryBudgetBytes(memoryBudgetBytes);
        if (output != null) {
            b.output(output);
        }
        return new Local(Nd4j.fromByteArray(features.value()), b.build());
    }

    /** Rows [from, to) of a batch of any rank (ND4J fills the missing indices with all()), C order. */
    private static INDArray rows(INDArray x, long from, long to) {
        return x.get(NDArrayIndex.interval(from, to)).dup('c');
    }
}
