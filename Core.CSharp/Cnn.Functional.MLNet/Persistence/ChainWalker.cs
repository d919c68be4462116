using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cnn.Functional.MLNet;

/// <summary>
/// Rebuilds a fitted pipeline with some transformers replaced, walking nested <c>TransformerChain</c>s depth-first in
/// order (the order ML.NET saves and loads them in). A chain's scopes (training, testing, scoring) are kept: they are
/// read back through its public <c>GetModelFor</c>. Chains with nothing replaced are returned as they are.
/// </summary>
internal static class ChainWalker
{
    private static readonly TransformerScope[] Scopes = [TransformerScope.Training, TransformerScope.Testing, TransformerScope.Scoring];

    /// <summary>
    /// <paramref name="model"/> with each transformer for which <paramref name="replace"/> returns non-null replaced by
    /// that result (<paramref name="replace"/> sees every transformer that is not a chain, in order).
    /// </summary>
    public static ITransformer Rewrite(ITransformer model, Func<ITransformer, ITransformer?> replace)
    {
        if (!IsChain(model)) return replace(model) ?? model;
        var elements = ((IEnumerable<ITransformer>)model).ToList();
        var rewritten = elements.Select(e => Rewrite(e, replace)).ToList();
        if (rewritten.Zip(elements).All(p => ReferenceEquals(p.First, p.Second))) return model;
        return new TransformerChain<ITransformer>(rewritten, ScopesOf(model, elements));
    }

    /// <summary>Every transformer of <paramref name="model"/> that is not a chain, depth-first in order.</summary>
    public static IEnumerable<ITransformer> Leaves(ITransformer model) =>
        IsChain(model) ? ((IEnumerable<ITransformer>)model).SelectMany(Leaves) : [model];

    private static bool IsChain(ITransformer model) =>
        model.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(TransformerChain<>);

    // Each element's scope flags: the element is in GetModelFor(s) for each scope s it has, in the chain's order.
    private static TransformerScope[] ScopesOf(ITransformer chain, List<ITransformer> elements)
    {
        var scopes = new TransformerScope[elements.Count];
        var getModelFor = chain.GetType().GetMethod("GetModelFor", BindingFlags.Public | BindingFlags.Instance, [typeof(TransformerScope)])
            ?? throw new InvalidOperationException($"{chain.GetType()} has no public GetModelFor(TransformerScope)");
        foreach (var scope in Scopes)
        {
            var selected = ((IEnumerable<ITransformer>)getModelFor.Invoke(chain, [scope])!).ToList();
            var next = 0;
            for (var i = 0; i < elements.Count && next < selected.Count; i++)
            {
                if (!ReferenceEquals(elements[i], selected[next])) continue;
                scopes[i] |= scope;
                next++;
            }
        }
        return scopes;
    }
}
