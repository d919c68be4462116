using System.Text.Json.Serialization;

namespace Cnn.Functional;

/// <summary>
/// A layer: a small immutable record of hyperparameters. It holds no weights and no tensors; weights exist
/// only once a graph is lowered. Input channels are never stated: they are inferred from the graph (as Flax
/// does), so a dense layer after a flatten does not need its 400 inputs written by hand.
/// </summary>
/// <remarks>
/// Records are validated in <see cref="Infer"/>, the one pass that building, summarising and lowering all run,
/// because C#'s <c>with</c> skips constructors.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Input), "input")]
[JsonDerivedType(typeof(Conv), "conv")]
[JsonDerivedType(typeof(ConvTranspose), "convTranspose")]
[JsonDerivedType(typeof(SpatiallySeparableConv), "spatiallySeparableConv")]
[JsonDerivedType(typeof(DepthwiseSeparableConv), "depthwiseSeparableConv")]
[JsonDerivedType(typeof(LocallyConnected), "locallyConnected")]
[JsonDerivedType(typeof(DeformableConv), "deformableConv")]
[JsonDerivedType(typeof(CoordConv), "coordConv")]
[JsonDerivedType(typeof(Pool), "pool")]
[JsonDerivedType(typeof(GlobalPool), "globalPool")]
[JsonDerivedType(typeof(AdaptivePool), "adaptivePool")]
[JsonDerivedType(typeof(Activation), "activation")]
[JsonDerivedType(typeof(Softmax), "softmax")]
[JsonDerivedType(typeof(LocalResponseNorm), "localResponseNorm")]
[JsonDerivedType(typeof(BatchNorm), "batchNorm")]
[JsonDerivedType(typeof(LayerNorm), "layerNorm")]
[JsonDerivedType(typeof(InstanceNorm), "instanceNorm")]
[JsonDerivedType(typeof(GroupNorm), "groupNorm")]
[JsonDerivedType(typeof(Dropout), "dropout")]
[JsonDerivedType(typeof(Dense), "dense")]
[JsonDerivedType(typeof(Flatten), "flatten")]
[JsonDerivedType(typeof(Concat), "concat")]
[JsonDerivedType(typeof(Add), "add")]
[JsonDerivedType(typeof(HighwayGate), "highwayGate")]
[JsonDerivedType(typeof(WeightedSum), "weightedSum")]
[JsonDerivedType(typeof(PartialConv), "partialConv")]
[JsonDerivedType(typeof(Subsampling), "subsampling")]
[JsonDerivedType(typeof(RbfOutput), "rbfOutput")]
[JsonDerivedType(typeof(BinaryConv), "binaryConv")]
[JsonDerivedType(typeof(BinaryDense), "binaryDense")]
[JsonDerivedType(typeof(DiracConv), "diracConv")]
public abstract record Layer
{
    /// <summary>The layer's kind as written in JSON and summaries, e.g. "conv".</summary>
    [JsonIgnore]
    public abstract string Kind { get; }

    /// <summary>How many inputs the layer takes: exactly one, unless overridden.</summary>
    [JsonIgnore]
    public virtual Arity Arity => Arity.One;

    /// <summary>
    /// Checks the hyperparameters against the input shapes in <paramref name="context"/> and returns the
    /// output shape with parameter and MAC counts, or null after reporting every problem to the context.
    /// </summary>
    public abstract LayerInfo? Infer(LayerContext context);
}

/// <summary>How many inputs a layer takes.</summary>
public enum Arity
{
    /// <summary>A graph input: no inputs.</summary>
    None,

    /// <summary>Exactly one input.</summary>
    One,

    /// <summary>Two or more inputs (a merge: concatenation, addition).</summary>
    Many,

    /// <summary>Exactly three inputs (the highway gate: transform, gate, carry).</summary>
    Three,
}
