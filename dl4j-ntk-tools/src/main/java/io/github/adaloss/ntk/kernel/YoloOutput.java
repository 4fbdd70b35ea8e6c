package io.github.adaloss.ntk.kernel;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * DL4J's {@link Yolo2OutputLayer} as the last layer of the structured path: the kernel of what the layer's
 * {@code output()} returns, its activated predictions. The layer has no parameters; its output for an input
 * {@code z} of shape [n, B (5 + C), H, W] (B bounding-box priors, C classes), viewed as [n, B, 5 + C, H, W], is
 * <pre>
 *   x, y        = sigmoid(z[:, :, 0:2])
 *   w, h        = prior_b * exp(z[:, :, 2:4])        (prior_b: the layer's bounding boxes, [B, 2])
 *   confidence  = sigmoid(z[:, :, 4])
 *   classes     = softmax over the C entries z[:, b, 5:5+C, y, x] of each box b and cell (y, x)
 * </pre>
 * ({@code YoloUtils.activate}; the loss-specific parts of the layer, IOU and masks, enter only its training loss).
 * Its k = B (5 + C) H W outputs per example are the entries of that array in C order, as a CnnLossLayer's. The path
 * takes DL4J's own forward pass of the layer and back-propagates with {@link #signal}, the exact vector-Jacobian
 * product of the map above; finite differences of {@code output()} check both (tests).
 */
final class YoloOutput {

    private YoloOutput() {
    }

    /**
     * @param where the layer's place, for the message
     * @param l     the layer
     * @return null if the path supports it (NCHW), else the reason
     */
    static String unsupportedReason(String where, Yolo2OutputLayer l) {
        return l.getFormat() != CNN2DFormat.NCHW ? where + " is a Yolo2OutputLayer in format " + l.getFormat() : null;
    }

    /**
     * @param layer the layer (its bounding-box priors)
     * @param z     the layer's input [n, B (5 + C), H, W]
     * @param eps   {@code d f_c / d output} for every output row, [n k, B (5 + C) H W], rows {@code i k + c}
     * @param k     rows per example
     * @return {@code d f_c / d z}, [n k, B (5 + C), H, W]
     */
    static INDArray signal(Yolo2OutputLayer layer, INDArray z, INDArray eps, int k) {
        long n = z.size(0);
        long h = z.size(2);
        long w = z.size(3);
        INDArray priors = layer.getBoundingBoxes();
        int b = (int) priors.size(0);
        long c = z.size(1) / b - 5;
        INDArray zr = ConvNtk.repeatRows(z, k).reshape('c', n * k, b, 5 + c, h, w);
        INDArray e = eps.reshape('c', n * k, b, 5 + c, h, w);
        INDArray delta = Nd4j.zeros(z.dataType(), n * k, b, 5 + c, h, w);
        // x, y and the confidence: sigmoid, whose derivative is s (1 - s)
        for (INDArrayIndex part : new INDArrayIndex[] {interval(0, 2), interval(4, 5)}) {
            INDArray s = Transforms.sigmoid(zr.get(all(), all(), part, all(), all()), true);
            INDArray d = s.rsub(1.0).muli(s).muli(e.get(all(), all(), part, all(), all()));
            delta.get(all(), all(), part, all(), all()).assign(d);
        }
        // width and height: prior * exp(z), its own derivative
        for (int box = 0; box < b; box++) {
            for (int j = 0; j < 2; j++) {
                INDArray pre = zr.get(all(), point(box), point(2 + j), all(), all());
                INDArray d = Transforms.exp(pre, true).muli(priors.getDouble(box, j))
                        .muli(e.get(all(), point(box), point(2 + j), all(), all()));
                delta.get(all(), point(box), point(2 + j), all(), all()).assign(d);
            }
        }
        // classes: a softmax over C per (example, box, cell), as rows (i, box, y, x) for DenseNtk.signal, whose
        // signal rows are ((i, box, y, x), output row)
        INDArray zRows = z.reshape('c', n, b, 5 + c, h, w).get(all(), all(), interval(5, 5 + c), all(), all())
                .permute(0, 1, 3, 4, 2).dup('c').reshape('c', n * b * h * w, c);
        INDArray eRows = eps.reshape('c', n, k, b, 5 + c, h, w)
                .get(all(), all(), all(), interval(5, 5 + c), all(), all())
                .permute(0, 2, 4, 5, 1, 3).dup('c').reshape('c', n * b * h * w * k, c);
        INDArray classes = DenseNtk.signal(new ActivationSoftmax(), zRows, eRows, k);
        delta.reshape('c', n, k, b, 5 + c, h, w).get(all(), all(), all(), interval(5, 5 + c), all(), all())
                .assign(classes.reshape('c', n, b, h, w, k, c).permute(0, 4, 1, 5, 2, 3));
        return delta.reshape('c', n * k, b * (5 + c), h, w);
    }
}
