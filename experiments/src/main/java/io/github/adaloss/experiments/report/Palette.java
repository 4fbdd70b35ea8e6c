package io.github.adaloss.experiments.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Map;

/** Colours and line styles of the charts: one colour per optimizer in every chart, distinct colours otherwise. */
public final class Palette {

    /** Distinct colours (Tableau 10 and four darker extras), in order of use. */
    private static final Color[] DISTINCT = {new Color(31, 119, 180), new Color(255, 127, 14),
        new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75),
        new Color(227, 119, 194), new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207),
        new Color(0, 0, 0), new Color(0, 70, 140), new Color(150, 70, 0), new Color(0, 110, 60)};

    private static final Map<String, Color> OPTIMIZERS = Map.ofEntries(
            Map.entry("AdaLoss", new Color(31, 119, 180)),
            Map.entry("AdaGradNorm", new Color(255, 127, 14)),
            Map.entry("GD", new Color(60, 60, 60)),
            Map.entry("SGD", new Color(60, 60, 60)),
            Map.entry("Adam", new Color(214, 39, 40)),
            Map.entry("RMSProp", new Color(148, 103, 189)),
            Map.entry("HeavyBall", new Color(44, 160, 44)),
            Map.entry("Nesterov", new Color(140, 86, 75)),
            Map.entry("AdamLoss", new Color(227, 119, 194)));

    private Palette() {
    }

    /** @return the i-th distinct colour (cycling after 14) */
    public static Color distinct(int i) {
        return DISTINCT[Math.floorMod(i, DISTINCT.length)];
    }

    /** @return the optimizer's colour, or a stable distinct colour for other names */
    public static Color forOptimizer(String name) {
        Color c = OPTIMIZERS.get(name);
        return c != null ? c : distinct(Math.floorMod(name.hashCode(), DISTINCT.length));
    }

    /** @return solid for variant 0, then dashed, dotted, dash-dot */
    public static BasicStroke stroke(int variant) {
        float[][] dashes = {null, {8f, 4f}, {2f, 3f}, {8f, 3f, 2f, 3f}};
        float[] d = dashes[Math.floorMod(variant, dashes.length)];
        return d == null ? new BasicStroke(1.6f) : new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
                10f, d, 0f);
    }
}
