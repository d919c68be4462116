using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Torch;

/// <summary>Batch normalisation (Ioffe &amp; Szegedy): γ, β learned; running statistics as buffers, updated in training.</summary>
internal sealed class BatchNormModule : NodeModule
{
    private readonly Parameter? weight, bias;
    // Named as registered, so TorchSharp's to(dtype/device) writes the converted buffers back here (see NodeModule).
    [ComponentName(Name = "running_mean")] private readonly Tensor runningMean;
    [ComponentName(Name = "running_var")] private readonly Tensor runningVar;
    [ComponentName(Name = "num_batches_tracked")] private readonly Tensor batches;
    private readonly double epsilon, momentum;

    public BatchNormModule(string name, int channels, BatchNorm norm) : base(name)
    {
        if (norm.Affine)
        {
            weight = Filled("weight", [channels], 1);
            bias = Filled("bias", [channels], 0);
        }
        runningMean = Buffer("running_mean", [channels], 0);
        runningVar = Buffer("running_var", [channels], 1);
        batches = Buffer("num_batches_tracked", [], 0, ScalarType.Int64);
        epsilon = norm.Epsilon;
        momentum = norm.Momentum;
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        if (training) using (no_grad()) batches.add_(Scalars.One, Scalars.One);
        return F.batch_norm(inputs[0], runningMean, runningVar, weight, bias, training, momentum, epsilon);
    }
}

/// <summary>Layer, instance and group normalisation: per-example statistics, optional affine γ, β.</summary>
internal sealed class PerExampleNormModule : NodeModule
{
    private readonly Parameter? weight, bias;
    [ComponentName(Name = "running_mean")] private readonly Tensor? runningMean;
    [ComponentName(Name = "running_var")] private readonly Tensor? runningVar;
    [ComponentName(Name = "num_batches_tracked")] private readonly Tensor? batches;
    private readonly Layer norm;

    public PerExampleNormModule(string name, Shape input, Layer norm) : base(name)
    {
        this.norm = norm;
        var (affine, shape) = norm switch
        {
            LayerNorm l => (l.Affine, input.Dims.Select(d => (long)d).ToArray()),
            InstanceNorm i => (i.Affine, [input.Channels]),
            GroupNorm g => (g.Affine, new long[] { input.Channels }),
            _ => (false, Array.Empty<long>()),
        };
        if (affine)
        {
            weight = Filled("weight", shape, 1);
            bias = Filled("bias", shape, 0);
        }
        if (norm is InstanceNorm { TrackRunningStats: true })
        {
            runningMean = Buffer("running_mean", [input.Channels], 0);
            runningVar = Buffer("running_var", [input.Channels], 1);
            batches = Buffer("num_batches_tracked", [], 0, ScalarType.Int64);
        }
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        switch (norm)
        {
            case LayerNorm l:
                return F.layer_norm(x, x.shape.Skip(1).ToArray(), weight, bias, l.Epsilon);
            case GroupNorm g:
                return F.group_norm(x, g.Groups, weight, bias, g.Epsilon);
            default:
                var instance = (InstanceNorm)norm;
                if (training && batches is not null) using (no_grad()) batches.add_(Scalars.One, Scalars.One);
                return F.instance_norm(x, runningMean, runningVar, weight, bias,
                    use_input_stats: training || runningMean is null, momentum: 0.1, eps: instance.Epsilon);
        }
    }
}
