using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Torch;

/// <summary>
/// The one switch from layer records to modules. A layer record holds hyperparameters only; here it gets its
/// weights (initialised as PyTorch does by default: U[−1/√n, 1/√n], the lecture's standard initialisation, with
/// n the fan-in, unless the layer's paper says otherwise) and its forward function. Every layer kind of the graph
/// lowers: those libtorch lacks (unshared, deformable, coordinate, binary, Dirac, LeNet's own) are built in
/// Modules/ from their papers' equations out of libtorch operations, so autograd differentiates them.
/// </summary>
internal static class Lower
{
    public static NodeModule Node(InferredNode node)
    {
        var name = StateDictLayout.ModuleName(node.Path).Replace('.', '_');
        var input = node.InputShapes.Count > 0 ? node.InputShapes[0] : node.OutputShape;
        return node.Node.Layer switch
        {
            Input => Function(name, (x, _) => x[0].alias()),
            Conv c => new ConvModule(name, node, c),
            ConvTranspose c => new ConvTransposeModule(name, node, c),
            DepthwiseSeparableConv c => new DepthwiseSeparableConvModule(name, node, c),
            SpatiallySeparableConv c => new SpatiallySeparableConvModule(name, node, c),
            LocallyConnected c => new LocallyConnectedModule(name, node, c),
            DeformableConv c => new DeformableConvModule(name, node, c),
            CoordConv c => new CoordConvModule(name, node, c),
            PartialConv c => new PartialConvModule(name, node, c),
            Subsampling s => new SubsamplingModule(name, node, s),
            RbfOutput r => new RbfOutputModule(name, input.Channels, r),
            BinaryConv c => new BinaryConvModule(name, node, c),
            BinaryDense d => new BinaryDenseModule(name, input.Channels, d),
            DiracConv c => new DiracConvModule(name, node, c),
            Pool p => new PoolModule(name, node, p),
            GlobalPool g => Function(name, (x, _) => GlobalPooling.Apply(g.Function, x[0])),
            AdaptivePool a => Function(name, (x, _) => GlobalPooling.Adaptive(a.Function, x[0], node.OutputShape.Spatial.Select(o => (long)o).ToArray())),
            Activation a => new ActivationModule(name, input.Channels, a),
            Softmax s => Function(name, (x, _) => s.Log ? F.log_softmax(x[0], 1) : F.softmax(x[0], 1)),
            LocalResponseNorm l => Function(name, (x, _) => Lrn(l, x[0])),
            BatchNorm b => new BatchNormModule(name, input.Channels, b),
            LayerNorm or InstanceNorm or GroupNorm => new PerExampleNormModule(name, input, node.Node.Layer),
            Dropout d => Function(name, (x, training) => Drop(d, x[0], training)),
            Dense d => new DenseModule(name, input.Channels, d),
            Flatten => Function(name, (x, _) => x[0].flatten(1)),
            Concat => Function(name, (x, _) => cat(x.ToArray(), 1)),
            Add => Function(name, (x, _) => Sum(x)),
            HighwayGate => Function(name, (x, _) => Highway(x[0], x[1], x[2])),
            WeightedSum => new WeightedSumModule(name, node.InputShapes.Count),
            var other => throw new GraphException(new GraphError(node.Path, other.Kind, $"a {other.Kind} layer ({other.GetType().Name}) has no TorchSharp lowering", "use the layers of Cnn.Functional.Layers")),
        };
    }

    private static NodeModule Function(string name, Func<IReadOnlyList<Tensor>, bool, Tensor> f) => new FunctionModule(name, f);

    private static Tensor Drop(Dropout d, Tensor x, bool training)
    {
        if (!training || d.Rate == 0) return x.alias();
        if (!d.Spatial || x.dim() <= 2) return F.dropout(x, d.Rate, training);
        if (x.dim() == 5) return F.dropout3d(x, d.Rate, training);
        if (x.dim() == 4) return F.dropout2d(x, d.Rate, training);
        // [N, C, L]: libtorch's dropout2d reads a 3-d input as one unbatched [C, H, W] map and drops whole examples;
        // as [N, C, L, 1] it drops each channel of each example (Dropout1d; the dropout-expectation law found this).
        using var column = x.unsqueeze(-1);
        using var dropped = F.dropout2d(column, d.Rate, training);
        return dropped.squeeze(-1);
    }

    // Krizhevsky's α multiplies the sum over n maps; libtorch's divides by n, so it gets α·n. libtorch views a 5-d input
    // as 4-d, which fails on a non-contiguous one (a permuted or rotated volume): make it contiguous first.
    private static Tensor Lrn(LocalResponseNorm l, Tensor x)
    {
        using var contiguous = x.contiguous();
        return F.local_response_norm(contiguous, l.Size, l.Alpha * l.Size, l.Beta, l.K);
    }

    private static Tensor Sum(IReadOnlyList<Tensor> x)
    {
        // α given as Scalars.One: TorchSharp's a + b would make a native 1 per call for the finalizer (see Scalars).
        var sum = x[0].add(x[1], Scalars.One);
        for (var i = 2; i < x.Count; i++)
        {
            var next = sum.add(x[i], Scalars.One);
            sum.Dispose();
            sum = next;
        }
        return sum;
    }

    // Srivastava et al. (2015), eq. 3: y = H·T + x·(1 − T).
    private static Tensor Highway(Tensor h, Tensor t, Tensor x)
    {
        using var scope = NewDisposeScope();
        return h.mul(t).add_(x.mul(t.neg().add_(Scalars.One, Scalars.One)), Scalars.One).MoveToOuterDisposeScope();
    }
}
