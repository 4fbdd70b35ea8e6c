package io.github.adaloss.ntk.network;

import java.util.Objects;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Weight initialization with i.i.d. values {@code +scale} or {@code -scale}, each with probability 1/2, drawn from
 * ND4J's global RNG (which DL4J seeds from the configuration's seed), so the configuration alone reproduces the
 * weights. JSON-serializable.
 */
public final class RademacherInit implements IWeightInit {

    private static final long serialVersionUID = 1L;

    private final double scale;

    /** @param scale the magnitude of every weight, positive and finite */
    public RademacherInit(@JsonProperty("scale") double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("RademacherInit: scale must be positive and finite, got " + scale);
        }
        this.scale = scale;
    }

    /** @return the magnitude of every weight */
    public double getScale() {
        return scale;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        // u uniform in [0, 1) from the global RNG: u > 1/2 gives +scale, otherwise -scale
        INDArray u = Nd4j.rand(DataType.DOUBLE, paramView.length());
        INDArray values = u.gt(0.5).castTo(paramView.dataType()).muli(2 * scale).subi(scale);
        paramView.assign(values.reshape(paramView.shape()));
        return paramView.reshape(order, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RademacherInit other && Double.compare(scale, other.scale) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(RademacherInit.class, scale);
    }

    @Override
    public String toString() {
        return "RademacherInit(scale=" + scale + ")";
    }
}
