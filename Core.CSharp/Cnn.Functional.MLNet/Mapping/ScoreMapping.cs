using Cnn.Functional.Torch;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet;

/// <summary>
/// The columns of ML.NET's multiclass trainers: <c>Score</c>, a vector of K class probabilities (the softmax of the
/// network's class scores, whatever its output layer: logits, a softmax, a log-softmax or LeNet's RBF distances),
/// and <c>PredictedLabel</c>, the key of the most probable class, with the training label's key values, so
/// <c>MulticlassClassification.Evaluate</c> and <c>MapKeyToValue</c> work as with any built-in trainer.
/// </summary>
internal sealed class ScoreMapping : NetworkMapping
{
    public const string ScoreColumnName = "Score";
    public const string PredictedLabelColumnName = "PredictedLabel";

    private readonly ModelOutput output;

    public ScoreMapping(CnnNetwork network, string featureColumnName, int batchSize, ClassLabels? classes)
        : base(network, featureColumnName, batchSize)
    {
        output = ModelOutput.Of(network.Module.Graph);
        if (classes is not null && classes.Count != output.Classes)
            throw new ArgumentException($"{classes.Count} class labels for graph '{network.Graph.Name}', whose output has {output.Classes} classes", nameof(classes));
        Classes = classes;
        Added = [ScoreColumn(output.Classes, classes), PredictedLabelColumn(output.Classes, classes)];
    }

    public ClassLabels? Classes { get; }

    public int ClassCount => output.Classes;

    public override IReadOnlyList<DataViewSchema.DetachedColumn> Added { get; }

    public override int Width => output.Classes;

    public static DataViewSchema.DetachedColumn ScoreColumn(int classes, ClassLabels? labels)
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        labels?.AddSlotNames(annotations);
        AddText(annotations, AnnotationKinds.ScoreColumnKind, "MulticlassClassification");
        AddText(annotations, AnnotationKinds.ScoreValueKind, "Score");
        return new(ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, classes), annotations.ToAnnotations());
    }

    public static DataViewSchema.DetachedColumn PredictedLabelColumn(int classes, ClassLabels? labels)
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        labels?.AddKeyValues(annotations);
        AddText(annotations, AnnotationKinds.ScoreColumnKind, "MulticlassClassification");
        AddText(annotations, AnnotationKinds.ScoreValueKind, "PredictedLabel");
        return new(PredictedLabelColumnName, new KeyDataViewType(typeof(uint), classes), annotations.ToAnnotations());
    }

    private static void AddText(DataViewSchema.Annotations.Builder builder, string kind, string text) =>
        builder.Add(kind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = text.AsMemory());

    public override void Compute(Tensor input, Span<float> destination)
    {
        var module = Network.Module;
        var scores = output.Kind switch
        {
            OutputKind.Probabilities => module.Run(input, [output.ScorePath])[output.ScorePath],
            OutputKind.Distances => module.forward(input).neg(),
            _ => module.forward(input),
        };
        var probabilities = scores.softmax(1).contiguous();
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(probabilities.bytes).CopyTo(destination);
    }

    public override Delegate Getter(int index, IMappedRow row) => index switch
    {
        0 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            var current = row.Current();
            var editor = VBufferEditor.Create(ref value, current.Length);
            current.CopyTo(editor.Values);
            value = editor.Commit();
        }),
        _ => (ValueGetter<uint>)((ref uint value) => value = (uint)ArgMax(row.Current()) + 1),
    };

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
