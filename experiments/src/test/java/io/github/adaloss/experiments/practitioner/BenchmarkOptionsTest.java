package io.github.adaloss.experiments.practitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.datasets.FashionMnist;
import io.github.adaloss.experiments.cli.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BenchmarkOptions#parse}: the documented defaults and commands, and one-line errors for bad values. */
class BenchmarkOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        BenchmarkOptions o = BenchmarkOptions.parse();
        assertEquals(Path.of("benchmark-out"), o.out());
        assertEquals(List.of(101L, 102L, 103L, 104L, 105L), o.seeds());
        assertEquals(List.of(), o.workloads());
        assertEquals(List.of(0, 1, 2, 3), o.tiers());
        assertEquals(List.of(), o.families());
        assertEquals(FashionMnist.directory(), o.data());
        assertEquals(List.of(), o.in());
        assertFalse(o.analyse() || o.tuning() || o.firstStep());
    }

    @Test
    void everyOptionIsParsedInBothForms(@TempDir Path dir) {
        BenchmarkOptions o = BenchmarkOptions.parse("--out", "x", "--seeds", "7, 3", "--workloads", "lenet,sum",
                "--tiers", "2,0", "--families", "published,AdaLoss,AdaLoss-alpha=1/l0", "--data", dir.toString());
        assertEquals(Path.of("x"), o.out());
        assertEquals(List.of(7L, 3L), o.seeds());
        assertEquals(List.of("lenet", "sum"), o.workloads());
        assertEquals(List.of(2, 0), o.tiers());
        assertEquals(List.of("published", "AdaLoss", "AdaLoss-alpha=1/l0"), o.families());
        assertEquals(dir, o.data());
        assertEquals(o, BenchmarkOptions.parse("--out=x", "--seeds=7,3", "--workloads=lenet", "--workloads=sum",
                "--tiers=2,0", "--families=published,AdaLoss", "--families", "AdaLoss-alpha=1/l0", "--data=" + dir));
    }

    @Test
    void settingSelectorsPickExactlyTheNamedGridPoints() {
        BenchmarkOptions o = BenchmarkOptions.parse("--families",
                "published,AdaLoss:default,AdaLoss:eta=0.1,AdaLoss:eta=0.333,AdamLoss:b0=100,Adam:lr=1e-3");
        List<OptimizerSpec> picked = new java.util.ArrayList<>();
        int all = 0;
        for (int tier = 0; tier < OptimizerGrid.TIERS; tier++) {
            for (OptimizerSpec s : OptimizerGrid.benchmark(new org.nd4j.linalg.learning.config.Sgd(0.1), tier, true)) {
                all++;
                if (o.families().stream().anyMatch(f -> OptimizerGrid.selects(f, s))) {
                    picked.add(s);
                }
            }
        }
        // 6 selectors, one grid point each, out of the whole grid
        assertEquals(List.of("published Sgd", "AdaLoss default", "AdamLoss b0=100", "Adam lr=0.00100",
                "AdaLoss eta=0.100x", "AdaLoss eta=0.333x"), picked.stream().map(OptimizerSpec::label).toList());
        assertEquals(56, all, "the whole grid");
        // a bare family picks all of its settings: AdaLoss' b0 table (5) and eta multiples (4)
        assertEquals(9, java.util.stream.IntStream.range(0, OptimizerGrid.TIERS).mapToObj(t -> OptimizerGrid.benchmark(
                new org.nd4j.linalg.learning.config.Sgd(0.1), t, true)).flatMap(List::stream)
                .filter(s -> OptimizerGrid.selects("AdaLoss", s)).count());
    }

    @Test
    void theDocumentedCommandsParse() throws IOException {
        // docs/benchmark.md and README.md, run from the repository root
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path runs = root.resolve("docs/data/benchmark-runs.csv");
        Path tuning = root.resolve("docs/data/benchmark-tuning-runs.csv");
        assertTrue(Files.isRegularFile(runs) && Files.isRegularFile(tuning), root.toString());
        BenchmarkOptions train = BenchmarkOptions.parse("--out", "benchmark-out", "--workloads",
                "regression,sum,lstm,mlp,transfer,text,lenet,resnet,simplecnn,darknet19,xception", "--tiers", "0,1,2,3",
                "--seeds", "101,102,103,104,105", "--families", "published,AdaLoss,AdamLoss");
        assertEquals(RealisticBenchmark.ORDER.size(), train.workloads().size());
        BenchmarkOptions analyse = BenchmarkOptions.parse("--analyse", "--in", runs.toString());
        assertTrue(analyse.analyse() && !analyse.tuning());
        assertEquals(List.of(runs), analyse.in());
        BenchmarkOptions t = BenchmarkOptions.parse("--analyse", "--tuning", "--in", tuning + "," + runs);
        assertTrue(t.tuning());
        assertEquals(List.of(tuning, runs), t.in());
        BenchmarkOptions first = BenchmarkOptions.parse("--first-step", "--out", "DIR", "--seeds",
                "1,2,101,102,103,104,105", "--workloads", "regression,sum,mlp,transfer,text,lenet");
        assertTrue(first.firstStep());
        assertEquals(List.of(1L, 2L, 101L, 102L, 103L, 104L, 105L), first.seeds());
        BenchmarkOptions docs = BenchmarkOptions.parse("--update-docs", root.toString());
        assertEquals(root, docs.docsRoot());
        assertEquals(null, analyse.docsRoot());
    }

    @Test
    void badValuesNameTheOptionAndTheValue(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f.csv"), "x");
        bad("--workloads: 'mnist' is not a configuration id (one of mlp, lenet, lstm, text, regression, sum, resnet, "
                + "transfer, darknet19, simplecnn, xception)", "--workloads", "mlp,mnist");
        bad("--tiers: '7' is not a tier (0 to 3)", "--tiers", "0,7");
        bad("--update-docs: '" + dir + "' has no docs/data/benchmark-runs.csv", "--update-docs", dir.toString());
        bad("--update-docs excludes --analyse, --first-step and --in", "--update-docs", dir.toString(), "--analyse",
                "--in", file.toString());
        bad("--tiers: '-1' is not a tier (0 to 3)", "--tiers", "-1");
        bad("--tiers: 'one' is not a tier (0 to 3)", "--tiers", "one");
        bad("--seeds: '10x' is not an integer", "--seeds", "1,10x");
        bad("--seeds: '' is not an integer", "--seeds", "");
        bad("--seeds: '3' is given twice", "--seeds", "3,4,3");
        bad("--families: 'AdaLoss:foo' is not FAMILY, FAMILY:default or FAMILY:PARAMETER=VALUE with PARAMETER one of "
                + "b0, eta, lr", "--families", "AdaLoss:foo");
        bad("--families: 'AdaLoss:eta' is not FAMILY, FAMILY:default or FAMILY:PARAMETER=VALUE with PARAMETER one of "
                + "b0, eta, lr", "--families", "AdaLoss:eta");
        bad("--families: 'AdaLoss:eta=x': 'x' is not a number", "--families", "AdaLoss:eta=x");
        bad("--families: 'AdaLoss:b0=-1': the value must be a positive number", "--families", "AdaLoss:b0=-1");
        bad("--families: 'Adagrad' is not a family (one of published, AdaLoss, SGD-Constant, AdaGradNorm, AdamLoss, "
                + "SGD-DecaySqrt, AdaGradNorm-row, Adam, SGD, AdaLoss-alpha=1/l0)", "--families", "Adagrad");
        bad("--in: '" + dir.resolve("missing.csv") + "' is not a readable file", "--analyse", "--in",
                dir.resolve("missing.csv").toString());
        bad("--in: '" + dir + "' is not a readable file", "--analyse", "--in", file + "," + dir);
        bad("--data: '" + file + "' is not a readable directory", "--data", file.toString());
        bad("--analyse needs --in FILE.csv", "--analyse");
        bad("--tuning needs --analyse", "--tuning", "--in", file.toString());
        bad("--in is read only with --analyse", "--in", file.toString());
        bad("--analyse and --first-step exclude each other", "--analyse", "--first-step", "--in", file.toString());
        UsageException unknown = assertThrows(UsageException.class, () -> BenchmarkOptions.parse("--seed", "3"));
        assertFalse(unknown.isInfo());
        assertTrue(unknown.getMessage().contains("--seed") && unknown.getMessage().endsWith("(see --help)"),
                unknown.getMessage());
        UsageException missing = assertThrows(UsageException.class, () -> BenchmarkOptions.parse("--out"));
        assertTrue(missing.getMessage().contains("--out"), missing.getMessage());
    }

    @Test
    void helpIsInfoWithEveryOptionAndTheDefaults() {
        for (String h : new String[] {"--help", "-h"}) {
            UsageException e = assertThrows(UsageException.class, () -> BenchmarkOptions.parse(h));
            assertTrue(e.isInfo());
            String text = e.getMessage();
            assertTrue(text.startsWith("Usage: RealisticBenchmark"), text);
            for (String option : new String[] {"--out", "--seeds", "--workloads", "--tiers", "--families", "--data",
                "--in", "--analyse", "--tuning", "--first-step"}) {
                assertTrue(text.contains(option), option + " in " + text);
            }
            assertTrue(text.contains("(default: benchmark-out)"), text);
            assertTrue(text.contains("(default: 101,102,103,104,105)"), text);
        }
    }

    private static void bad(String message, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> BenchmarkOptions.parse(args));
        assertFalse(e.isInfo());
        assertEquals(message, e.getMessage());
    }
}
