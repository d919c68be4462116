using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet;

/// <summary>
/// "CNN codes" (Razavian et al. 2014; the lecture's transfer-learning recipe): the activations of one node of a trained
/// network as a Single vector column, the node's output shape as its dimensions (e.g. 84 for LeNet-5's
/// <c>relu4</c>, [16, 5, 5] for <c>pool2</c>), ready for another trainer such as SdcaMaximumEntropy or LightGbm.
/// The network given is the source cut after that node, so nothing after it is computed.
/// </summary>
internal sealed class CodesMapping : NetworkMapping
{
    public CodesMapping(CnnNetwork truncated, string featureColumnName, string outputColumnName, int batchSize)
        : base(truncated, featureColumnName, batchSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        OutputColumnName = outputColumnName;
        var shape = truncated.Module.Graph.Output;
        Width = checked((int)shape.Elements);
        Added = [new DataViewSchema.DetachedColumn(outputColumnName, new VectorDataViewType(NumberDataViewType.Single, shape.Dims.Items.ToArray()))];
    }

    /// <summary>The node whose activations are the codes (the truncated network's output).</summary>
    public string NodePath => Network.Graph.OutputPaths[0];

    public string OutputColumnName { get; }

    public override IReadOnlyList<DataViewSchema.DetachedColumn> Added { get; }

    public override int Width { get; }

    public override void Compute(Tensor input, Span<float> destination)
    {
        var codes = Network.Module.forward(input).contiguous();
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(codes.bytes).CopyTo(destination);
    }

    public override Delegate Getter(int index, IMappedRow row) =>
        (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            var current = row.Current();
            var editor = VBufferEditor.Create(ref value, current.Length);
            current.CopyTo(editor.Values);
            value = editor.Commit();
        });
}
