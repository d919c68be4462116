using Cnn.Functional.Properties;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

/// <summary>The three lowering bugs the laws found, pinned by the laws' own cases so that they stay fixed.</summary>
[Collection("Laws")]
public class LoweringBugsFoundByLaws
{
    [Fact]
    public void Max_pooling_with_padding_and_ceil_mode_gives_the_inferred_shape()
    {
        // (1 + 2·1 − 2)/2 rounded up is 1 step, so 2 windows — but the second would start in the right padding (PyTorch's
        // rule drops it): 1 output. Padding first and then pooling in ceil mode kept it (shape [1, 1, 2, 2]).
        var pool = Subject.For(Layers.MaxPool(2, 2, padding: 1, rounding: Rounding.Ceil), Shape.Image(1, 1, 5));
        Assert.Equal(Shape.Image(1, 1, 3), pool.OutputShape);
        var trial = new Trial(ScalarType.Float32, 1, 0, new InputTensor(Draw.Distinct, 3), new InputTensor(Draw.Gaussian, 4));
        Assert.Equal(Verdict.Holds, Laws.ShapeInference.RunCase(pool, trial).Verdict);
        Assert.Equal(Verdict.Holds, Laws.MaxPoolSwitches.RunCase(pool, trial).Verdict);
    }

    [Fact]
    public void Local_response_normalisation_accepts_a_rotated_volume()
    {
        // A quarter turn leaves a non-contiguous tensor; libtorch's LRN viewed it as 4-d and threw.
        var net = Subject.For(Graph.Create("lrn", Shape.Volume(3, 4, 3, 4)).Then("lrn", Layers.LocalResponseNorm(3)).Then("pool", Layers.GlobalAvgPool()));
        var trial = new Trial(ScalarType.Float32, 2, 0, new InputTensor(Draw.Gaussian, 5), Transformation: new Rotation90(1, 0, 2));
        var outcome = Laws.SpatialPermutationInvariance.RunCase(net, trial);
        Assert.True(outcome.Verdict == Verdict.Holds, outcome.Detail);
    }

    [Fact]
    public void Spatial_dropout_of_a_sequence_drops_channels_not_examples()
    {
        // The shrunk counterexample: [N, C, L] went to dropout2d, which took it for one unbatched map and dropped whole
        // examples, so all channels of an example were dropped together (100% of examples, instead of 0.3² + 0.7² = 58%).
        var dropout = Subject.For(Layers.SpatialDropout(0.3), Shape.Sequence(2, 1));
        var trial = new Trial(ScalarType.Float64, 1, 1731969543, new InputTensor(Draw.Gaussian, 2088517007));
        var outcome = Laws.DropoutExpectation.RunCase(dropout, trial);
        Assert.True(outcome.Verdict == Verdict.Holds, outcome.Detail);
    }
}
