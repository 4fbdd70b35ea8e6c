package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid hyperparameters fail at construction with a message that names the field and the value. */
class HyperparameterValidationTest {

    static Stream<Arguments> invalid() {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        return Stream.of(
                Arguments.of("learningRate", "0.0", (Supplier<Object>) () -> new AdaLoss(0, 1)),
                Arguments.of("learningRate", "-1.0", (Supplier<Object>) () -> new AdaLoss(-1, 1)),
                Arguments.of("learningRate", "NaN", (Supplier<Object>) () -> new AdaLoss(nan, 1)),
                Arguments.of("learningRate", "Infinity", (Supplier<Object>) () -> new AdaGradNorm(inf, 1)),
                Arguments.of("b0", "0.0", (Supplier<Object>) () -> new AdaLoss(1, 0)),
                Arguments.of("b0", "-2.0", (Supplier<Object>) () -> new AdaGradNorm(1, -2)),
                Arguments.of("b0", "NaN", (Supplier<Object>) () -> AdamLoss.builder().b0(nan).build()),
                Arguments.of("b0", "Infinity", (Supplier<Object>) () -> AdaLoss.builder().b0(inf).build()),
                Arguments.of("alpha", "0.0", (Supplier<Object>) () -> AdaLoss.builder().alpha(0).build()),
                Arguments.of("alpha", "NaN", (Supplier<Object>) () -> AdamLoss.builder().alpha(nan).build()),
                Arguments.of("offset", "-0.5", (Supplier<Object>) () -> AdaLoss.builder().offset(-0.5).build()),
                Arguments.of("offset", "Infinity", (Supplier<Object>) () -> AdamLoss.builder().offset(inf).build()),
                Arguments.of("beta1", "1.0", (Supplier<Object>) () -> AdamLoss.builder().beta1(1).build()),
                Arguments.of("beta1", "-0.1", (Supplier<Object>) () -> AdamLoss.builder().beta1(-0.1).build()),
                Arguments.of("beta2", "NaN", (Supplier<Object>) () -> AdamLoss.builder().beta2(nan).build()),
                Arguments.of("epsilon", "0.0", (Supplier<Object>) () -> AdamLoss.builder().epsilon(0).build()),
                Arguments.of("momentum", "1.0", (Supplier<Object>) () -> new HeavyBall(0.1, 1)),
                Arguments.of("momentum", "-0.5", (Supplier<Object>) () -> HeavyBall.builder().momentum(-0.5).build()),
                Arguments.of("learningRate", "-3.0", (Supplier<Object>) () -> HeavyBall.builder().learningRate(-3)
                        .build()),
                Arguments.of("learningRate", "0.0", (Supplier<Object>) () -> {
                    AdaLoss a = new AdaLoss();
                    a.setLrAndSchedule(0, null);
                    return a;
                }));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalid")
    void rejectedWithFieldAndValue(String field, String value, Supplier<Object> construct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::get);
        assertTrue(e.getMessage().contains(field + " "), e.getMessage());
        assertTrue(e.getMessage().contains("got " + value), e.getMessage());
    }
}
