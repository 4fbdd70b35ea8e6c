package io.github.adaloss.bench.ntk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the JMH CSV of {@link NtkGramBenchmark} into the README table of issue 3: times with their 99.9% error,
 * the generic path extrapolated to n = 1000 with its cost model, and the two ratios against their targets.
 *
 * <p>Generic-path cost model: {@code T(n) = alpha * passes(n) + beta * macs(n)}, where {@code passes(n)} is the
 * number of per-example back-propagations and {@code macs(n)} the multiply-adds of the Jacobian block products
 * {@code J_i J_j^T}, both counted exactly from the tiling {@code PerExampleNtk} uses under
 * {@link NtkGramBenchmark#GENERIC_BUDGET_BYTES} (tiles of t examples; a tile's Jacobian is recomputed for every
 * block it takes part in, so {@code passes} grows as n^2 / (2 t) once n exceeds t). The two work measures grow
 * almost in proportion (their ratio changes by under 10% from n = 50 to 1000), so alpha and beta cannot be
 * separated reliably from noisy timings, but the extrapolation does not need them: {@code T(1000) = T(n) *
 * W(1000) / W(n)} with {@code W} the mean of the two work ratios, from the largest measured n; the estimates from
 * the smaller sizes and the measured cost exponent between sizes (against the model's) are printed as the check.
 *
 * <p>Usage: {@code java -cp benchmarks/target/adaloss-benchmarks.jar io.github.adaloss.bench.ntk.NtkReport
 * docs/benchmarks/ntk-omp1.csv [out.md]}.
 */
public final class NtkReport {

    /** Trainable parameters of the 784-1024-1024-1 MLP. */
    public static final long PARAMETERS = 784L * 1024 + 1024 + 1024L * 1024 + 1024 + 1024 + 1;

    private static final long BYTES_PER_DOUBLE = 8;

    private NtkReport() {
    }

    private record Row(double score, double error, int samples) {
    }

    /**
     * @param args the JMH CSV file, optionally a file to write the markdown to
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: NtkReport <jmh.csv> [out.md]");
            System.exit(2);
        }
        Map<String, Row> rows = read(Path.of(args[0]));
        String md = table(rows);
        System.out.print(md);
        if (args.length > 1) {
            Files.writeString(Path.of(args[1]), md, StandardCharsets.UTF_8);
        }
    }

    private static Map<String, Row> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = split(lines.get(0));
        int name = header.indexOf("Benchmark");
        int score = header.indexOf("Score");
        int error = header.indexOf("Score Error (99.9%)");
        int samples = header.indexOf("Samples");
        int param = header.indexOf("Param: n");
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = split(line);
            String key = f.get(name).substring(f.get(name).lastIndexOf('.') + 1);
            if (param >= 0 && param < f.size() && !f.get(param).isEmpty()) {
                key += "@" + f.get(param);
            }
            rows.put(key, new Row(Double.parseDouble(f.get(score)), parse(f.get(error)),
                    Integer.parseInt(f.get(samples))));
        }
        return rows;
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        for (String s : line.split(",", -1)) {
            out.add(s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2 ? s.substring(1, s.length() - 1) : s);
        }
        return out;
    }

    /**
     * The tile size of {@code PerExampleNtk} for one output (same arithmetic as its {@code tileSize}).
     *
     * @param n probe inputs
     * @return examples per Jacobian tile
     */
    static long tile(long n) {
        long rowBytes = PARAMETERS * BYTES_PER_DOUBLE;
        long available = NtkGramBenchmark.GENERIC_BUDGET_BYTES - n * n * BYTES_PER_DOUBLE;
        long t = Math.min(n, Math.max(0, available / (2 * rowBytes)));
        while (t > 0 && 2 * t * rowBytes + t * t * BYTES_PER_DOUBLE > available) {
            t--;
        }
        return t;
    }

    /** @return {passes, block multiply-adds} of the generic path on n inputs (trace, one output, x1 == x2) */
    static double[] genericWork(long n) {
        long t = tile(n);
        double passes = 0;
        double macs = 0;
        for (long i0 = 0; i0 < n; i0 += t) {
            long ri = Math.min(n, i0 + t) - i0;
            passes += ri;
            for (long j0 = i0; j0 < n; j0 += t) {
                long rj = Math.min(n, j0 + t) - j0;
                if (j0 != i0) {
                    passes += rj;
                }
                macs += (double) ri * rj * PARAMETERS;
            }
        }
        return new double[] {passes, macs};
    }

    static String table(Map<String, Row> rows) {
        StringBuilder sb = new StringBuilder();
        Row dense = rows.get("denseTrace");
        Row denseDouble = rows.get("denseTraceDoubleNet");
        Row floor = rows.get("gemmFloor");
        Row gemm = rows.get("gemm1024");
        Row gemmFloat = rows.get("gemm1024Float");
        double gemmFlops = 2.0 * 1024 * 1024 * 1024;
        double rate = gemmFlops / (gemm.score() * 1e-3) / 1e9;
        double floorFlops = 2 * NtkGramBenchmark.FLOOR_MACS;
        double floorAtRate = floorFlops / (rate * 1e9) * 1e3;

        // generic path: T(1000) = T(n) * W(1000) / W(n) for each measured n, with W the work of the cost model
        TreeMap<Integer, Row> generic = new TreeMap<>();
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            if (e.getKey().startsWith("genericTrace@")) {
                generic.put(Integer.parseInt(e.getKey().substring("genericTrace@".length())), e.getValue());
            }
        }
        double[] w1000 = genericWork(NtkGramBenchmark.N);
        Map<Integer, Double> estimate = new TreeMap<>();
        for (Map.Entry<Integer, Row> e : generic.entrySet()) {
            estimate.put(e.getKey(), e.getValue().score() * scale(w1000, genericWork(e.getKey())));
        }
        int largest = generic.lastKey();
        double generic1000 = estimate.get(largest);
        double relErr = generic.get(largest).error() / generic.get(largest).score();

        sb.append("| Measurement (784-1024-1024-1 MLP, FLOAT network, trace NTK) | n | time (ms) | note |\n");
        sb.append("|---|---:|---:|---|\n");
        sb.append(line("Fast path: `EmpiricalNtk` DENSE (computes in double)", "1000", dense, ""));
        if (denseDouble != null) {
            sb.append(line("Fast path, same network converted to DOUBLE", "1000", denseDouble, ""));
        }
        Integer previous = null;
        for (Map.Entry<Integer, Row> e : generic.entrySet()) {
            int n = e.getKey();
            double[] w = genericWork(n);
            String scaling = "";
            if (previous != null) {
                double measured = Math.log(e.getValue().score() / generic.get(previous).score())
                        / Math.log((double) n / previous);
                double model = Math.log(scale(w, genericWork(previous))) / Math.log((double) n / previous);
                scaling = String.format(Locale.ROOT, "; cost ~ n^%.2f from n = %d (model n^%.2f)", measured, previous,
                        model);
            }
            sb.append(line("Generic per-example path (measured)", String.valueOf(n), e.getValue(),
                    String.format(Locale.ROOT, "tile %d, %,.0f back-props, %.3f T multiply-adds%s; gives %,.0f s "
                            + "at n = 1000", tile(n), w[0], w[1] / 1e12, scaling, estimate.get(n) / 1e3)));
            previous = n;
        }
        sb.append(String.format(Locale.ROOT, "| **Generic per-example path (extrapolated from n = %d)** | 1000 | "
                        + "%s ± %s | x %.1f work (%,.0f back-props, %.2f T multiply-adds); from the other sizes: %s |\n",
                largest, fmt(generic1000), fmt(generic1000 * relErr), scale(w1000, genericWork(largest)), w1000[0],
                w1000[1] / 1e12, estimate.entrySet().stream().filter(e -> e.getKey() != largest)
                        .map(e -> String.format(Locale.ROOT, "%,.0f s (n = %d)", e.getValue() / 1e3, e.getKey()))
                        .reduce((a, b) -> a + ", " + b).orElse("-")));
        sb.append(line("GEMM floor: the products the fast path cannot avoid (double)", "1000", floor,
                String.format(Locale.ROOT, "%.2f G multiply-adds, %.1f GFLOP/s; at the 1024^3 rate: %.0f ms",
                        NtkGramBenchmark.FLOOR_MACS / 1e9, floorFlops / (floor.score() * 1e-3) / 1e9, floorAtRate)));
        sb.append(String.format(Locale.ROOT, "| GEMM rate, 1024 x 1024 x 1024, double | - | %s ± %s | **%.1f GFLOP/s** |\n",
                fmt(gemm.score()), fmt(gemm.error()), rate));
        if (gemmFloat != null) {
            sb.append(String.format(Locale.ROOT, "| GEMM rate, 1024 x 1024 x 1024, float | - | %s ± %s | %.1f GFLOP/s |\n",
                    fmt(gemmFloat.score()), fmt(gemmFloat.error()), gemmFlops / (gemmFloat.score() * 1e-3) / 1e9));
        }
        for (String n : new String[] {"1000", "2000"}) {
            Row eig = rows.get("eigen@" + n);
            if (eig != null) {
                sb.append(line("Eigenvalues: `NtkSpectrum.of` (symmetrize, check, dsyev jobz='N')", n, eig, ""));
            }
        }
        for (String n : new String[] {"1000", "2000"}) {
            Row eig = rows.get("eigenvaluesOnly@" + n);
            if (eig != null) {
                sb.append(line("Eigenvalues only (dsyev jobz='N'), for comparison", n, eig, ""));
            }
        }
        double speedup = generic1000 / dense.score();
        double overFloor = dense.score() / floor.score();
        sb.append('\n');
        sb.append("| Ratio | value | target | met |\n|---|---:|---:|---|\n");
        sb.append(String.format(Locale.ROOT, "| generic (extrapolated, n = 1000) / fast path | %.0fx | >= 50x | %s |\n",
                speedup, speedup >= 50 ? "yes" : "**no**"));
        sb.append(String.format(Locale.ROOT, "| fast path / GEMM floor (measured) | %.2fx | <= 3x | %s |\n",
                overFloor, overFloor <= 3 ? "yes" : "**no**"));
        sb.append(String.format(Locale.ROOT, "| fast path / GEMM floor at the 1024^3 GEMM rate | %.2fx | (<= 3x) | %s |\n",
                dense.score() / floorAtRate, dense.score() / floorAtRate <= 3 ? "yes" : "**no**"));
        Row smallest = generic.isEmpty() ? null : generic.firstEntry().getValue();
        if (smallest != null) {
            sb.append(String.format(Locale.ROOT, "\nMeasured generic n = %d alone takes %.1fx the fast path's n = 1000.\n",
                    generic.firstKey(), smallest.score() / dense.score()));
        }
        return sb.toString();
    }

    /** Work ratio of the cost model: the mean of the back-propagation ratio and the multiply-add ratio. */
    private static double scale(double[] to, double[] from) {
        return 0.5 * (to[0] / from[0] + to[1] / from[1]);
    }

    private static String line(String what, String n, Row r, String note) {
        return String.format(Locale.ROOT, "| %s | %s | %s ± %s | %s |\n", what, n, fmt(r.score()), fmt(r.error()), note);
    }

    private static String fmt(double ms) {
        if (Double.isNaN(ms)) {
            return "n/a";
        }
        if (ms >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.0f", ms);
        }
        return String.format(Locale.ROOT, "%.1f", ms);
    }
}
