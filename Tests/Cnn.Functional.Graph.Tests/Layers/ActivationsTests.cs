namespace Cnn.Functional.Tests;

/// <summary>Element-wise nonlinearities and softmax: identity shapes, no parameters except PReLU's slope per channel.</summary>
public class ActivationsTests
{
    public static TheoryData<ActivationFunction, string> ParameterFree => new()
    {
        { ActivationFunction.Sigmoid, "sigmoid" },
        { ActivationFunction.Tanh, "tanh" },
        { ActivationFunction.Relu, "relu" },
        { ActivationFunction.LeakyRelu, "leakyRelu" },
        { ActivationFunction.Elu, "elu" },
        { ActivationFunction.Selu, "selu" },
        { ActivationFunction.Gelu, "gelu" },
        { ActivationFunction.Relu6, "relu6" },
        { ActivationFunction.Silu, "silu" },
        { ActivationFunction.Softplus, "softplus" },
    };

    [Theory]
    [MemberData(nameof(ParameterFree))]
    public void Activations_keep_the_shape_and_have_no_parameters(ActivationFunction function, string kind)
    {
        var layer = Layers.Activation(function);

        foreach (var shape in new[] { Shape.Vector(10), Shape.Sequence(4, 7), Shape.Image(16, 8, 8), Shape.Volume(2, 3, 4, 5) })
        {
            var info = OneLayer.Info(shape, layer);
            Assert.Equal(shape, info.Output);
            Assert.Equal(0, info.Parameters);
            Assert.Equal(0, info.Macs);
        }
        Assert.Equal(kind, layer.Kind);
    }

    [Fact]
    public void PRelu_learns_one_slope_per_channel()
    {
        // one slope for each of the 16 channels
        Assert.Equal(16, OneLayer.Info(Shape.Image(16, 8, 8), Layers.PRelu()).Parameters);
        // a flat vector: one slope per feature
        Assert.Equal(10, OneLayer.Info(Shape.Vector(10), Layers.PRelu()).Parameters);
        Assert.Equal("prelu", Layers.PRelu().Kind);
    }

    [Fact]
    public void Factories_use_the_usual_default_slopes_and_scales()
    {
        Assert.Equal(new Activation(ActivationFunction.LeakyRelu, 0.01), Layers.LeakyRelu());
        Assert.Equal(new Activation(ActivationFunction.PRelu, 0.25), Layers.PRelu());
        Assert.Equal(new Activation(ActivationFunction.Elu, 1.0), Layers.Elu());
        Assert.Equal(new Activation(ActivationFunction.Relu, 0), Layers.Relu());
        Assert.NotEqual(Layers.LeakyRelu(0.2), Layers.LeakyRelu());
    }

    [Fact]
    public void Softmax_and_log_softmax_keep_the_shape()
    {
        Assert.Equal(Shape.Vector(10), OneLayer.Info(Shape.Vector(10), Layers.Softmax()).Output);
        Assert.Equal(Shape.Image(21, 8, 8), OneLayer.Info(Shape.Image(21, 8, 8), Layers.LogSoftmax()).Output);
        Assert.Equal("softmax", Layers.Softmax().Kind);
        Assert.Equal("logSoftmax", Layers.LogSoftmax().Kind);
    }

    [Fact]
    public void Alpha_must_be_finite()
    {
        Assert.Equal("layer: alpha must be a finite number within float32's range (±3.4028235E+38); got NaN", OneLayer.Error(Shape.Vector(4), Layers.LeakyRelu(double.NaN)));
        Assert.Equal("layer: alpha must be a finite number within float32's range (±3.4028235E+38); got Infinity", OneLayer.Error(Shape.Vector(4), Layers.Elu(double.PositiveInfinity)));
        // Finite, but not a float32: libtorch refused it only at run time (found by graph fuzzing).
        Assert.Equal("layer: alpha must be a finite number within float32's range (±3.4028235E+38); got -1E+300", OneLayer.Error(Shape.Vector(4), Layers.Elu(-1e300)));
        Assert.Equal("layer: alpha must be a finite number within float32's range (±3.4028235E+38); got 1.7976931348623157E+308", OneLayer.Error(Shape.Vector(4), Layers.PRelu(double.MaxValue)));
    }

    [Fact]
    public void An_undefined_function_is_refused()
    {
        Assert.Equal(["unknown activation function 99"], OneLayer.Messages(Shape.Vector(4), new Activation((ActivationFunction)99, 0)));
    }
}
