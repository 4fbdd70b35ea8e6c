package io.github.adaloss.it.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.it.support.IrisData;
import io.github.adaloss.it.support.LossRecorder;
import io.github.adaloss.it.support.Nets;
import io.github.adaloss.updater.AdaLoss;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

/**
 * Pipeline 1: Iris (offline) through a {@link DataSetIterator} with a {@link NormalizerStandardize} pre-processor,
 * a MultiLayerNetwork trained with {@link AdaLoss} + {@link LossFeedListener}, scored by DL4J's {@link Evaluation};
 * and the same network under DL4J's {@link EarlyStoppingTrainer}.
 */
class IrisPipelineTest {

    private static final long SEED = 12345;
    private static final double ETA = 1.0;
    private static final double B0 = 1.0;

    private DataSetIterator train;
    private DataSetIterator test;
    private DataSet testSet;

    @BeforeEach
    void data() {
        SplitTestAndTrain split = IrisData.load(SEED).splitTestAndTrain(100);
        DataSet trainSet = split.getTrain();
        testSet = split.getTest();
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(trainSet);
        normalizer.transform(testSet);
        train = new ListDataSetIterator<>(trainSet.asList(), 10);
        train.setPreProcessor(normalizer);
        test = new ListDataSetIterator<>(testSet.asList(), 50);
    }

    @Test
    void adaLossTrainsIrisAndEvaluationSeesIt() {
        MultiLayerNetwork net = Nets.irisClassifier(new AdaLoss(ETA, B0), SEED, 16);
        LossRecorder losses = new LossRecorder();
        net.addListeners(new LossFeedListener(), losses);
        double before = Nets.loss(net, testSet);

        for (int epoch = 0; epoch < 30; epoch++) {
            net.fit(train);
        }

        Evaluation eval = net.evaluate(test);
        double after = Nets.loss(net, testSet);
        assertTrue(eval.accuracy() >= 0.90, "held-out accuracy " + eval.accuracy() + "\n" + eval.stats());
        assertTrue(after < before / 4, "held-out loss " + before + " -> " + after + ", expected a 4x drop");
        assertEquals(300, losses.losses().size(), "30 epochs x 10 mini-batches");
        // One accumulator for the whole network: b_T^2 = b_0^2 + sum_t |l_t| (alpha 1, offset 0).
        double b = AdaptiveSteps.accumulator(net).orElseThrow();
        assertEquals(losses.expectedAccumulator(B0, 1.0, 0.0), b, 1e-4 * b);
        assertEquals(ETA / b, AdaptiveSteps.effectiveStep(net).orElseThrow(), 1e-6 * ETA / b);
    }

    @Test
    void earlyStoppingTrainerKeepsTheBestAdaLossModel() {
        MultiLayerNetwork net = Nets.irisClassifier(new AdaLoss(ETA, B0), SEED, 16);
        net.addListeners(new LossFeedListener());
        double before = Nets.loss(net, testSet);
        EarlyStoppingConfiguration<MultiLayerNetwork> conf = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(40),
                        new ScoreImprovementEpochTerminationCondition(5, 1e-4))
                .scoreCalculator(new DataSetLossCalculator(test, true))
                .evaluateEveryNEpochs(1)
                .modelSaver(new InMemoryModelSaver<>())
                .build();

        EarlyStoppingResult<MultiLayerNetwork> result = new EarlyStoppingTrainer(conf, net, train).fit();

        MultiLayerNetwork best = result.getBestModel();
        assertTrue(result.getTotalEpochs() >= 5, "ran " + result.getTotalEpochs() + " epochs");
        // Read the best score from the per-epoch map: in DL4J 1.0.0-M2.1 getBestModelScore() stays 0.0 when the
        // run ends on MaxEpochsTerminationCondition at the best epoch (observed here: bestModelScore=0.0 with
        // scoreVsEpoch[39]=0.035).
        double bestScore = result.getScoreVsEpoch().get(result.getBestModelEpoch());
        double minScore = result.getScoreVsEpoch().values().stream().mapToDouble(Double::doubleValue).min()
                .orElseThrow();
        assertEquals(minScore, bestScore, 0.0, "the best epoch has the lowest held-out loss");
        assertTrue(bestScore < before / 4, "best held-out loss " + bestScore + " vs initial " + before);
        // The saved best model is the network as it was at its best epoch: rescoring it reproduces that score.
        assertEquals(bestScore, Nets.loss(best, testSet), 1e-5);
        Evaluation eval = best.evaluate(test);
        assertTrue(eval.accuracy() >= 0.90, "best model accuracy " + eval.accuracy());
        assertTrue(AdaptiveSteps.accumulator(net).orElseThrow() > B0, "accumulator grew during training");
    }
}
