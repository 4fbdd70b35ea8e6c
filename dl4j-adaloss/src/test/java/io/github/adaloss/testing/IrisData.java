package io.github.adaloss.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fisher's Iris data (150 examples, 4 features, 3 classes), from the test resource {@code iris.csv}: the same file
 * as {@code iris.dat} inside {@code deeplearning4j-core.jar} (UCI Machine Learning Repository, public domain).
 */
public final class IrisData {

    private IrisData() {
    }

    /** @return all 150 examples, features standardized, labels one-hot */
    public static DataSet standardized(DataType type) {
        List<double[]> rows = new ArrayList<>();
        try (InputStream in = IrisData.class.getResourceAsStream("/iris.csv")) {
            if (in == null) {
                throw new IllegalStateException("test resource /iris.csv is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    String[] f = line.split(",");
                    double[] row = new double[f.length];
                    for (int i = 0; i < f.length; i++) {
                        row[i] = Double.parseDouble(f[i].trim());
                    }
                    rows.add(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        INDArray x = Nd4j.zeros(type, rows.size(), 4);
        INDArray y = Nd4j.zeros(type, rows.size(), 3);
        for (int i = 0; i < rows.size(); i++) {
            double[] row = rows.get(i);
            for (int j = 0; j < 4; j++) {
                x.putScalar(i, j, row[j]);
            }
            y.putScalar(i, (int) row[4], 1.0);
        }
        DataSet ds = new DataSet(x, y);
        NormalizerStandardize norm = new NormalizerStandardize();
        norm.fit(ds);
        norm.transform(ds);
        return ds;
    }
}
