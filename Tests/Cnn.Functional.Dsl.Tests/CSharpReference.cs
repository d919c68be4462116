using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

/// <summary>Graphs built in C#, which the F# test project rebuilds with pipelines and lists and compares for equality.</summary>
public static class CSharpReference
{
    /// <summary>LeNet-5 through the fluent chain.</summary>
    public static Graph LeNet5Chain() =>
        Chain.Input(1, 28, 28)
            .Conv(6, 5, padding: 2).Relu().MaxPool(2)
            .Conv(16, 5).Relu().MaxPool(2)
            .Flatten().Dense(120).Relu().Dense(84).Relu().Dense(10)
            .ToGraph("lenet5");

    /// <summary>A ResNet basic block with an identity shortcut, followed by its ReLU, in the scope "block1".</summary>
    public static Graph ResidualBlock() =>
        Net.Scope("block1", Net.Sequence(
                Net.Residual(Net.Sequence(
                    Layers.Conv(64, 3, padding: 1, bias: false), Layers.BatchNorm(), Layers.Relu(),
                    Layers.Conv(64, 3, padding: 1, bias: false), Layers.BatchNorm())),
                Layers.Relu()))
            .ToGraph("residual", Shape.Image(64, 56, 56));
}
