package io.github.adaloss.ntk.kernel;

import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The recurrent layers of the structured path ({@link ConvNtk}): LSTM, GravesLSTM (with its peephole weights),
 * SimpleRnn and RnnOutputLayer, on sequences [n, C, T] (NCW). Per-time-step signals instead of one backward pass per
 * example and output.
 *
 * <p>Forward pass, the path's own (checked against DL4J's output of the layer on one example per kernel call), as
 * DL4J's {@code LSTMHelpers} computes it, with gates ordered {@code [a, f, o, g]} in W [nIn, 4H], RW [H, 4H (+3)] and
 * b [1, 4H]:
 * <pre>
 *   z_t = x_t W + h_{t-1} RW + b                       (GravesLSTM: z_f += c_{t-1} w_FF, z_g += c_{t-1} w_GG)
 *   a_t = act(z_a), f_t = gate(z_f), g_t = gate(z_g), c_t = f_t c_{t-1} + g_t a_t
 *   o_t = gate(z_o)                                    (GravesLSTM: z_o += c_t w_OO first)
 *   h_t = o_t act(c_t)                                 (h_{-1} = c_{-1} = 0)
 * </pre>
 * SimpleRnn: {@code h_t = act(x_t W + h_{t-1} RW + b)}; RnnOutputLayer: {@code y_t = act(h_t W + b)} at every step.
 *
 * <p>Backward pass (back-propagation through time for all n k rows at once, row {@code i k + c}): from
 * {@code e_t = d f_c / d h_t} of the layer above, {@code dh_t = e_t + dz_{t+1} RW^T}, then the gate signals
 * {@code dz_t} [n k, 4H] by the chain rule through the cell (the cell signal carried to {@code t - 1} through
 * {@code f_t}, and for GravesLSTM the peepholes). The per-example gradient of the input and recurrent weights is
 * {@code sum_t u_t^T dz_t} with {@code u_t = [x_t, h_{t-1}]}, so their kernel is the signal-patch form of a
 * convolution with the T time steps as positions ({@code sum_{t,s} <u_i(t), u_j(s)> <dz_ic(t), dz_jc(s)>}, patches
 * [n T, nIn + H], signals [n, T, k, 4H]), or the per-example gradients themselves ({@code G_ic = sum_t u_i(t)^T
 * dz_ic(t)}, one batched GEMM, then one product), whichever costs fewer multiply-adds ({@link ConvNtk}'s two forms:
 * the patch form wins for short sequences of wide layers, the gradient form for long sequences of narrow ones); the
 * bias is {@code sum_t dz_t}; the peephole weights (elementwise) are
 * per-example gradient vectors {@code sum_t dz_f(t) c_{t-1}}, {@code sum_t dz_o(t) c_t}, {@code sum_t dz_g(t) c_{t-1}}.
 * The signal below is {@code dz_t W^T}. The kernel is that of the full sequence's gradient (no truncation: a
 * TruncatedBPTT setting of the network does not apply to {@code output()}).
 */
final class RecurrentLayers {

    private RecurrentLayers() {
    }

    /** Forward quantities of one recurrent layer for a batch of n sequences, per time step. */
    record State(INDArray input, INDArray[] h, INDArray[] c, INDArray[] act, INDArray[] deriv, INDArray[] cellAct,
                 INDArray[] cellDeriv) {
        int steps() {
            return h.length;
        }
    }

    /** @return true if {@code layer} (unwrapped) is one of the recurrent layers of this class */
    static boolean handles(org.deeplearning4j.nn.conf.layers.Layer layer) {
        Class<?> c = layer.getClass();
        return c == LSTM.class || c == GravesLSTM.class || c == SimpleRnn.class || c == RnnOutputLayer.class;
    }

    /**
     * @param where     how to name the layer in the reason
     * @param layer     its configuration (unwrapped), for which {@link #handles} is true
     * @param paramKeys its parameter names
     * @return null if supported, else the reason
     */
    static String reason(String where, org.deeplearning4j.nn.conf.layers.Layer layer, Set<String> paramKeys) {
        RNNFormat format = layer instanceof RnnOutputLayer r ? r.getRnnDataFormat()
                : ((org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer) layer).getRnnDataFormat();
        if (format != RNNFormat.NCW) {
            return where + " is a " + layer.getClass().getSimpleName() + " in format " + format + " (only NCW)";
        }
        if (!DenseNtk.ELEMENTWISE.contains(((BaseLayer) layer).getActivationFn().getClass())
                && !(layer instanceof RnnOutputLayer)) {
            return where + " has activation " + ((BaseLayer) layer).getActivationFn() + ", not elementwise";
        }
        if (layer instanceof AbstractLSTM lstm
                && !DenseNtk.ELEMENTWISE.contains(lstm.getGateActivationFn().getClass())) {
            return where + " has gate activation " + lstm.getGateActivationFn() + ", not elementwise";
        }
        if (layer instanceof SimpleRnn s && s.hasLayerNorm()) {
            return where + " is a SimpleRnn with layer normalization";
        }
        Set<String> allowed = layer instanceof RnnOutputLayer ? Set.of("W", "b") : Set.of("W", "RW", "b");
        for (String key : paramKeys) {
            if (!allowed.contains(key)) {
                return where + " has parameter '" + key + "'";
            }
        }
        return null;
    }

    /** Time step t of a sequence batch [n, C, T], as a new C-order [n, C] array. */
    private static INDArray step(INDArray a, int t) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).dup('c');
    }

    /** The elementwise derivative of {@code fn} at {@code z}, a new array. */
    private static INDArray derivative(IActivation fn, INDArray z) {
        return fn.backprop(z.dup(), Nd4j.onesLike(z)).getFirst();
    }

    /**
     * The recurrent layer's forward pass (LSTM, GravesLSTM, SimpleRnn).
     *
     * @param impl the layer of the path's private copy
     * @param x    its input [n, nIn, T], C order, in the path's type
     * @return the per-step state; its output is {@link #output}
     */
    static State forward(Layer impl, INDArray x) {
        org.deeplearning4j.nn.conf.layers.Layer conf = DenseNtk.unwrap(impl.conf().getLayer());
        IActivation afn = ((BaseLayer) conf).getActivationFn();
        INDArray w = impl.getParam("W");
        INDArray rw = impl.getParam("RW");
        INDArray b = impl.getParam("b");
        int hidden = (int) rw.size(0);
        long n = x.size(0);
        int steps = (int) x.size(2);
        boolean lstm = conf instanceof AbstractLSTM;
        int gates = lstm ? 4 * hidden : hidden;
        INDArray rwGates = rw.get(NDArrayIndex.all(), NDArrayIndex.interval(0, gates));
        State s = new State(x, new INDArray[steps], lstm ? new INDArray[steps] : null, new INDArray[steps],
                new INDArray[steps], lstm ? new INDArray[steps] : null, lstm ? new INDArray[steps] : null);
        INDArray hPrev = Nd4j.zeros(x.dataType(), n, hidden);
        INDArray cPrev = Nd4j.zeros(x.dataType(), n, hidden);
        for (int t = 0; t < steps; t++) {
            INDArray z = step(x, t).mmul(w).addi(hPrev.mmul(rwGates)).addiRowVector(b);
            if (!lstm) {
                s.deriv()[t] = derivative(afn, z);
                s.act()[t] = afn.getActivation(z, false);
                s.h()[t] = s.act()[t];
                hPrev = s.h()[t];
                continue;
            }
            IActivation gate = ((AbstractLSTM) conf).getGateActivationFn();
            boolean peep = conf instanceof GravesLSTM;
            if (peep) {
                gateView(z, 1, hidden).addi(cPrev.mulRowVector(peephole(rw, hidden, 0)));
                gateView(z, 3, hidden).addi(cPrev.mulRowVector(peephole(rw, hidden, 2)));
            }
            INDArray act = Nd4j.createUninitialized(x.dataType(), new long[] {n, gates}, 'c');
            INDArray deriv = Nd4j.createUninitialized(x.dataType(), new long[] {n, gates}, 'c');
            for (int q : new int[] {0, 1, 3}) {
                IActivation fn = q == 0 ? afn : gate;
                INDArray zq = gateView(z, q, hidden).dup('c');
                gateView(deriv, q, hidden).assign(derivative(fn, zq));
                gateView(act, q, hidden).assign(fn.getActivation(zq, false));
            }
            INDArray c = gateView(act, 1, hidden).mul(cPrev).addi(gateView(act, 3, hidden).mul(gateView(act, 0, hidden)));
            if (peep) {
                gateView(z, 2, hidden).addi(c.mulRowVector(peephole(rw, hidden, 1)));
            }
            INDArray zo = gateView(z, 2, hidden).dup('c');
            gateView(deriv, 2, hidden).assign(derivative(gate, zo));
            gateView(act, 2, hidden).assign(gate.getActivation(zo, false));
            s.c()[t] = c;
            s.cellDeriv()[t] = derivative(afn, c);
            s.cellAct()[t] = afn.getActivation(c.dup(), false);
            s.act()[t] = act;
            s.deriv()[t] = deriv;
            s.h()[t] = s.cellAct()[t].mul(gateView(act, 2, hidden));
            hPrev = s.h()[t];
            cPrev = c;
        }
        return s;
    }

    /** Gate q (0 a, 1 f, 2 o, 3 g) of [n, 4H]: a view. */
    private static INDArray gateView(INDArray z, int q, int hidden) {
        return z.get(NDArrayIndex.all(), NDArrayIndex.interval((long) q * hidden, (long) (q + 1) * hidden));
    }

    /** GravesLSTM's peephole weights p (0 FF, 1 OO, 2 GG): column 4H + p of RW, as a row [1, H]. */
    private static INDArray peephole(INDArray rw, int hidden, int p) {
        return rw.get(NDArrayIndex.all(), NDArrayIndex.point(4L * hidden + p)).dup('c').reshape('c', 1, hidden);
    }

    /** @return the layer's output [n, H, T], a new C-order array */
    static INDArray output(State s) {
        long n = s.h()[0].size(0);
        long hidden = s.h()[0].size(1);
        INDArray out = Nd4j.createUninitialized(s.h()[0].dataType(), new long[] {n, hidden, s.steps()}, 'c');
        for (int t = 0; t < s.steps(); t++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).assign(s.h()[t]);
        }
        return out;
    }

    /** {@code e} [n k, m] times {@code q} [n, m] broadcast over the k rows of each example, in place. */
    private static INDArray times(INDArray e, INDArray q, int k) {
        long n = q.size(0);
        long m = q.size(1);
        e.reshape('c', n, k, m).muli(q.reshape('c', n, 1, m));
        return e;
    }

    /**
     * Back-propagation through time of a recurrent layer for all n k rows.
     *
     * @param impl      the layer of the private copy
     * @param s         its forward state
     * @param eps       {@code d f_c / d h} [n k, H, T]
     * @param k         outputs per example
     * @param trainW    whether W is trainable
     * @param trainRW   whether RW (with GravesLSTM's peepholes) is trainable
     * @param trainB    whether b is trainable
     * @param needBelow whether the signal below is needed
     * @param gradients the per-example gradient form instead of the signal-patch form
     * @return the layer's factors (or null) and the signal below [n k, nIn, T] (or null)
     */
    static Backward backward(Layer impl, State s, INDArray eps, int k, boolean trainW, boolean trainRW,
                             boolean trainB, boolean needBelow, boolean gradients) {
        org.deeplearning4j.nn.conf.layers.Layer conf = DenseNtk.unwrap(impl.conf().getLayer());
        boolean lstm = conf instanceof AbstractLSTM;
        boolean peep = conf instanceof GravesLSTM;
        INDArray w = impl.getParam("W");
        INDArray rw = impl.getParam("RW");
        int hidden = (int) rw.size(0);
        int gates = lstm ? 4 * hidden : hidden;
        INDArray rwGatesT = rw.get(NDArrayIndex.all(), NDArrayIndex.interval(0, gates)).transpose().dup('c');
        INDArray wT = w.transpose().dup('c');
        long n = s.input().size(0);
        long nIn = s.input().size(1);
        int steps = s.steps();
        DataType type = s.input().dataType();
        boolean train = trainW || trainRW || trainB;
        INDArray signals = train ? Nd4j.zeros(type, n, steps, k, gates) : null;
        INDArray below = needBelow ? Nd4j.zeros(type, n * k, nIn, steps) : null;
        INDArray peepholes = peep && trainRW ? Nd4j.zeros(type, n * k, 3L * hidden) : null;
        INDArray[] peepholeRows = peep ? new INDArray[] {peephole(rw, hidden, 0), peephole(rw, hidden, 1),
            peephole(rw, hidden, 2)} : null;
        INDArray dzNext = null;
        INDArray carry = null;
        for (int t = steps - 1; t >= 0; t--) {
            INDArray dh = step(eps, t);
            if (dzNext != null) {
                dh.addi(dzNext.mmul(rwGatesT));
            }
            INDArray dz;
            if (!lstm) {
                dz = times(dh, s.deriv()[t], k);
            } else {
                INDArray act = s.act()[t];
                INDArray deriv = s.deriv()[t];
                INDArray cPrev = t > 0 ? s.c()[t - 1] : null;
                INDArray dzo = times(times(dh.dup('c'), s.cellAct()[t], k), gateView(deriv, 2, hidden).dup('c'), k);
                INDArray dc = times(times(dh, gateView(act, 2, hidden).dup('c'), k), s.cellDeriv()[t], k);
                if (peep) {
                    dc.addi(dzo.mulRowVector(peepholeRows[1]));
                }
                if (carry != null) {
                    dc.addi(carry);
                }
                INDArray dza = times(times(dc.dup('c'), gateView(act, 3, hidden).dup('c'), k),
                        gateView(deriv, 0, hidden).dup('c'), k);
                INDArray dzg = times(times(dc.dup('c'), gateView(act, 0, hidden).dup('c'), k),
                        gateView(deriv, 3, hidden).dup('c'), k);
                INDArray dzf = cPrev == null ? Nd4j.zeros(type, n * k, hidden)
                        : times(times(dc.dup('c'), cPrev, k), gateView(deriv, 1, hidden).dup('c'), k);
                carry = times(dc, gateView(act, 1, hidden).dup('c'), k);
                if (peep) {
                    carry.addi(dzf.mulRowVector(peepholeRows[0])).addi(dzg.mulRowVector(peepholeRows[2]));
                }
                if (peepholes != null) {
                    if (cPrev != null) {
                        peepholes.get(NDArrayIndex.all(), NDArrayIndex.interval(0, hidden))
                                .addi(times(dzf.dup('c'), cPrev, k));
                        peepholes.get(NDArrayIndex.all(), NDArrayIndex.interval(2L * hidden, 3L * hidden))
                                .addi(times(dzg.dup('c'), cPrev, k));
                    }
                    peepholes.get(NDArrayIndex.all(), NDArrayIndex.interval(hidden, 2L * hidden))
                            .addi(times(dzo.dup('c'), s.c()[t], k));
                }
                dz = Nd4j.concat(1, dza, dzf, dzo, dzg);
            }
            if (signals != null) {
                signals.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all(), NDArrayIndex.all())
                        .assign(dz.reshape('c', n, k, gates));
            }
            if (below != null) {
                below.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).assign(dz.mmul(wT));
            }
            dzNext = dz;
        }
        ConvNtk.Terms terms = null;
        if (train) {
            INDArray patches = trainW || trainRW ? patches(s, trainW, trainRW, hidden) : null;
            INDArray bias = trainB ? signals.sum(1).reshape('c', n * k, gates) : null;
            terms = factors(patches, signals, bias, peepholes, steps, gradients);
        }
        return new Backward(terms, below);
    }

    /**
     * The factors of one layer: signal-patch form ({@code patches} [n T, d], {@code signals} [n, T, k, G]) or, with
     * {@code gradients}, the per-example gradients {@code sum_t u(t)^T dz(t)} as rows {@code i k + c} [n k, d G]
     * (beside the peephole gradients, if any).
     */
    private static ConvNtk.Terms factors(INDArray patches, INDArray signals, INDArray bias, INDArray peepholes,
                                         int steps, boolean gradients) {
        if (!gradients || patches == null) {
            return new ConvNtk.Terms(null, null, peepholes, bias, patches, patches == null ? null : signals, steps);
        }
        long n = signals.size(0);
        long k = signals.size(2);
        long g = signals.size(3);
        long d = patches.size(1);
        // [n, T, d]^T x [n, T, k G] -> [n, d, k, G] -> rows (i, c), columns (d, G)
        INDArray u = patches.reshape('c', n, steps, d);
        INDArray grads = Nd4j.matmul(u, signals.reshape('c', n, steps, k * g), true, false, false);
        grads = grads.reshape('c', n, d, k, g).permute(0, 2, 1, 3).dup('c').reshape('c', n * k, d * g);
        if (peepholes != null) {
            grads = Nd4j.concat(1, grads, peepholes);
        }
        return new ConvNtk.Terms(null, null, grads, bias, null, null, steps);
    }

    /** The factors of a recurrent layer and the signal below it. */
    record Backward(ConvNtk.Terms terms, INDArray below) {
    }

    /** Rows (i, t) of {@code [x_t, h_{t-1}]} (the trainable parts), [n T, d]. */
    private static INDArray patches(State s, boolean trainW, boolean trainRW, int hidden) {
        long n = s.input().size(0);
        long nIn = s.input().size(1);
        int steps = s.steps();
        long d = (trainW ? nIn : 0) + (trainRW ? hidden : 0);
        INDArray u = Nd4j.zeros(s.input().dataType(), n, steps, d);
        for (int t = 0; t < steps; t++) {
            INDArray row = u.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all());
            if (trainW) {
                row.get(NDArrayIndex.all(), NDArrayIndex.interval(0, nIn)).assign(step(s.input(), t));
            }
            if (trainRW && t > 0) {
                row.get(NDArrayIndex.all(), NDArrayIndex.interval(trainW ? nIn : 0, d)).assign(s.h()[t - 1]);
            }
        }
        return u.reshape('c', n * steps, d);
    }

    /**
     * RnnOutputLayer's forward pass at every time step.
     *
     * @param impl the layer of the private copy
     * @param x    its input [n, C_in, T], C order
     * @return {@code {a, z, out}}: the input as rows (i, t) [n T, C_in], the pre-activation [n T, C_out] and the
     *         output [n, C_out, T]
     */
    static INDArray[] outputForward(Layer impl, INDArray x) {
        IActivation act = ((BaseLayer) DenseNtk.unwrap(impl.conf().getLayer())).getActivationFn();
        long n = x.size(0);
        long steps = x.size(2);
        INDArray a = x.permute(0, 2, 1).dup('c').reshape('c', n * steps, x.size(1));
        INDArray z = a.mmul(impl.getParam("W"));
        if (impl.paramTable().containsKey("b")) {
            z.addiRowVector(impl.getParam("b"));
        }
        INDArray y = act.getActivation(z.dup(), false);
        INDArray out = y.reshape('c', n, steps, z.size(1)).permute(0, 2, 1).dup('c');
        return new INDArray[] {a, z, out};
    }

    /**
     * RnnOutputLayer's backward pass for all n k rows.
     *
     * @param impl the layer of the private copy
     * @param a    its input as rows (i, t) [n T, C_in]
     * @param z    its pre-activation [n T, C_out]
     * @param eps  {@code d f_c / d y} [n k, C_out, T]
     * @return the factors (or null) and the signal below [n k, C_in, T] (or null)
     */
    static Backward outputBackward(Layer impl, INDArray a, INDArray z, INDArray eps, int k, boolean trainW,
                                   boolean trainB, boolean needBelow, boolean gradients) {
        IActivation act = ((BaseLayer) DenseNtk.unwrap(impl.conf().getLayer())).getActivationFn();
        long cOut = z.size(1);
        long steps = eps.size(2);
        long n = z.size(0) / steps;
        // rows ((i, t), c): the layout of DenseNtk.signal with z's rows (i, t)
        INDArray e = eps.reshape('c', n, k, cOut, steps).permute(0, 3, 1, 2).dup('c').reshape('c', n * steps * k,
                cOut);
        INDArray delta = DenseNtk.signal(act, z, e, k);
        INDArray signals = delta.reshape('c', n, steps, k, cOut);
        ConvNtk.Terms terms = trainW || trainB ? factors(trainW ? a : null, signals,
                trainB ? signals.sum(1).reshape('c', n * k, cOut) : null, null, (int) steps, gradients) : null;
        INDArray below = null;
        if (needBelow) {
            long cIn = a.size(1);
            below = delta.mmul(impl.getParam("W").transpose()).reshape('c', n, steps, k, cIn).permute(0, 2, 3, 1)
                    .dup('c').reshape('c', n * k, cIn, steps);
        }
        return new Backward(terms, below);
    }

    /**
     * Elements of the working memory per example of one recurrent layer (forward state, factors and the largest
     * transients of its backward pass).
     *
     * @param nIn    input size
     * @param hidden output size H
     * @param gates  4H (LSTM) or H
     * @param steps  T
     * @param k      outputs per example
     * @param gradients whether the layer's factors are per-example gradients
     */
    static long elementsPerExample(long nIn, long hidden, long gates, long steps, int k, boolean gradients) {
        long state = steps * (nIn + 3 * gates + 4 * hidden);
        long factors = steps * k * gates + steps * (nIn + hidden) + k * (gates + 3 * hidden)
                + (gradients ? 2 * k * (nIn + hidden) * gates : 0);
        long transient_ = k * steps * nIn + 8L * k * gates;
        return state + factors + transient_;
    }
}
