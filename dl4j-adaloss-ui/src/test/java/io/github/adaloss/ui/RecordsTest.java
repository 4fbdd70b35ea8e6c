package io.github.adaloss.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.ntk.listener.NtkSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binary round trip of the records and the series the data endpoint serves. */
class RecordsTest {

    private static NtkSnapshot snapshot(int it, double... eig) {
        return new NtkSnapshot(it, 0, 0.5, eig, eig[0], eig[eig.length - 1], eig[eig.length - 1] / eig[0],
                Arrays.stream(eig).sum(), 0.01 * it, Double.NaN, 0.0, 0.1, 2 / eig[eig.length - 1]);
    }

    @Test
    void reportRoundTripKeepsEveryFieldBitForBit() {
        AdaLossReport r = new AdaLossReport("s", "w", 12345L, 7, 1, 0.25, Math.sqrt(2), Double.NaN, 3, true,
                List.of(snapshot(5, 0.1, 1.0, 10.0), snapshot(7, -1e-17, 2.0)));
        AdaLossReport back = new AdaLossReport();
        back.decode(r.encode());
        assertEquals(r, back);
        assertEquals(AdaLossStatsListener.TYPE_ID, back.getTypeID());
        assertEquals(12345L, back.getTimeStamp());
        assertTrue(Double.isNaN(back.getStep()) && back.isEpochEnd());
        assertEquals(-1e-17, back.getNtkSnapshots().get(1).eigenvalues()[0], 0.0);
        assertEquals(r.encode().length, r.encodingLengthBytes());

        AdaLossStaticInfo i = new AdaLossStaticInfo("s", "w", 1L, "M", 81, "AdaLoss(eta=0.1)", 4, 64);
        AdaLossStaticInfo j = new AdaLossStaticInfo();
        j.decode(java.nio.ByteBuffer.wrap(i.encode()));
        assertEquals(i, j);
    }

    @Test
    void unknownFormatIsRefused() {
        byte[] bytes = new AdaLossReport("s", "w", 1L, 0, 0, 0, 1, 1, 0, false, List.of()).encode();
        bytes[0] = 9;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdaLossReport().decode(bytes));
        assertTrue(e.getMessage().contains("format 9"), e.getMessage());
    }

    /** Ten iteration records and one epoch-end record, at most 4 points: stride 3 keeps 0, 3, 6, 9. */
    @Test
    void seriesSubsampleWithAFixedStrideAndSkipEpochEndRecords() {
        List<AdaLossReport> reports = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            reports.add(new AdaLossReport("s", "w", t, t, 0, 1.0 / (t + 1), t + 1.0, 0.1 / (t + 1), t / 3, false,
                    t == 4 ? List.of(snapshot(4, 0.5, 2.0)) : List.of()));
            if (t == 5) {
                reports.add(new AdaLossReport("s", "w", 100 + t, 6, 1, 0, 6, 0.1 / 6, 1, true,
                        List.of(snapshot(6, 0.25, 4.0))));
            }
        }
        Map<String, Object> d = AdaLossSeries.of(reports, -1, 4);
        assertEquals(10, d.get("records"));
        assertEquals(3, d.get("stride"));
        assertEquals(List.of(0, 3, 6, 9), d.get("iteration"));
        assertEquals(List.of(1.0, 4.0, 7.0, 10.0), d.get("accumulator"));
        assertEquals(List.of(0L, 1L, 2L, 3L), d.get("recoveries"));
        @SuppressWarnings("unchecked")
        Map<String, Object> ntk = (Map<String, Object>) d.get("ntk");
        assertEquals(List.of(4, 6), ntk.get("iteration"));
        assertEquals(List.of(2.0, 4.0), ntk.get("lambdaMax"));
        assertEquals(List.of(4.0, 16.0), ntk.get("conditionNumber"));
        assertEquals(List.of(1.0, 0.5), ntk.get("stabilityEdge"));
        @SuppressWarnings("unchecked")
        Map<String, Object> spectrum = (Map<String, Object>) d.get("spectrum");
        assertEquals(1, spectrum.get("index"));
        assertEquals(List.of(0.25, 4.0), spectrum.get("eigenvalues"));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) AdaLossSeries.of(reports, 0, 4).get("spectrum");
        assertEquals(List.of(0.5, 2.0), first.get("eigenvalues"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdaLossSeries.of(reports, 2, 4));
        assertTrue(e.getMessage().contains("snapshot 2"), e.getMessage());
    }
}
