package io.logitrouter.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompiledModelTest {

    private static CompiledModel twoLabels(Activation activation) {
        return new CompiledModel(activation, new double[] {0.5, 0.9}, new Route[] {Route.SPAM, Route.ALERT},
                new double[] {0.0, 1.0}, new int[][] {{0, 1}, {1}}, new double[][] {{2.0, -1.0}, {0.5}}, 2);
    }

    @Test
    void routeAlertWinsOverSpam() {
        CompiledModel model = twoLabels(Activation.SIGMOID);

        assertEquals(Route.ALERT, model.route(new boolean[] {true, true}));
        assertEquals(Route.ALERT, model.route(new boolean[] {false, true}));
        assertEquals(Route.SPAM, model.route(new boolean[] {true, false}));
        assertEquals(Route.PASS, model.route(new boolean[] {false, false}));
    }

    @Test
    void linearScoresAddFromBiasInWeightOrder() {
        CompiledModel model = twoLabels(Activation.SIGMOID);
        double[] logits = new double[2];

        model.linearScores(new double[] {3.0, 4.0}, logits);

        assertEquals(0.0 + 2.0 * 3.0 + -1.0 * 4.0, logits[0]);
        assertEquals(1.0 + 0.5 * 4.0, logits[1]);
    }

    @Test
    void linearScoresKeepFileOrder() {
        // (1e16 + 1) + -1e16 differs from 1e16 + (1 + -1e16) in double precision.
        CompiledModel model = new CompiledModel(Activation.SIGMOID, new double[] {0.5}, new Route[] {Route.SPAM},
                new double[] {1e16}, new int[][] {{0, 1}}, new double[][] {{1.0, -1.0}}, 2);
        double[] logits = new double[1];

        model.linearScores(new double[] {1.0, 1e16}, logits);

        assertEquals((1e16 + 1.0) - 1e16, logits[0]);
    }

    @Test
    void firesSigmoidComparesLogitWithBoundary() {
        CompiledModel model = twoLabels(Activation.SIGMOID);
        double boundary = model.minFiringLogit(1);

        assertTrue(model.fires(1, boundary, Sigmoid.apply(boundary)));
        assertFalse(model.fires(1, Math.nextDown(boundary), Sigmoid.apply(Math.nextDown(boundary))));
        assertFalse(model.fires(0, 0.0, 0.5));
    }

    @Test
    void firesSoftmaxComparesProbabilityStrictly() {
        CompiledModel model = twoLabels(Activation.SOFTMAX);

        assertFalse(model.fires(0, 123.0, 0.5));
        assertTrue(model.fires(0, -123.0, Math.nextUp(0.5)));
    }

    @Test
    void hasWeightsIsFalseWithoutWeights() {
        CompiledModel model = new CompiledModel(Activation.SIGMOID, new double[] {0.5}, new Route[] {Route.SPAM},
                new double[] {1.0}, new int[][] {{}}, new double[][] {{}}, 0);

        assertFalse(model.hasWeights());
        assertTrue(twoLabels(Activation.SIGMOID).hasWeights());
    }

    @Test
    void constructorRejectsPassRoute() {
        assertThrows(IllegalArgumentException.class, () -> new CompiledModel(Activation.SIGMOID,
                new double[] {0.5}, new Route[] {Route.PASS}, new double[] {0.0}, new int[][] {{}},
                new double[][] {{}}, 0));
    }

    @Test
    void constructorRejectsSlotOutsideFeatureCount() {
        assertThrows(IllegalArgumentException.class, () -> new CompiledModel(Activation.SIGMOID,
                new double[] {0.5}, new Route[] {Route.SPAM}, new double[] {0.0}, new int[][] {{1}},
                new double[][] {{1.0}}, 1));
    }
}
