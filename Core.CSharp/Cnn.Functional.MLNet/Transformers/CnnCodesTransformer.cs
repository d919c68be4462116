namespace Cnn.Functional.MLNet;

/// <summary>
/// Adds the activations of one node of a trained network ("CNN codes") as a Single vector column, computed in
/// batches; made by <see cref="CnnCodesEstimator"/>. Its network is a copy of the source cut after that node.
/// </summary>
public sealed class CnnCodesTransformer : NetworkTransformer
{
    internal CnnCodesTransformer(CodesMapping mapping) : base(mapping)
    {
    }

    private CodesMapping Codes => (CodesMapping)Mapping;

    /// <summary>The node whose activations are the codes.</summary>
    public string NodePath => Codes.NodePath;

    public string OutputColumnName => Codes.OutputColumnName;

    /// <summary>The length of the codes vector.</summary>
    public int CodeSize => Codes.Width;
}
