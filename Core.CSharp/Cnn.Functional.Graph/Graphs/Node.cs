namespace Cnn.Functional;

/// <summary>
/// A node of the graph: a layer at a stable path such as <c>stage2/block1/conv2</c>, fed by the nodes
/// named in <paramref name="Inputs"/>. Paths become the names of submodules and weights once lowered.
/// A node that is not <paramref name="Trainable"/> is frozen: its parameters get no gradient.
/// </summary>
public sealed record Node(string Path, Layer Layer, EquatableArray<string> Inputs, bool Trainable = true)
{
    // A node read from damaged input may lack a layer; inference reports that, and printing must not throw.
    public override string ToString() =>
        Inputs.Count == 0 ? $"{Path} = {Layer?.Kind ?? "(no layer)"}" : $"{Path} = {Layer?.Kind ?? "(no layer)"}({string.Join(", ", Inputs.Items)})";
}
