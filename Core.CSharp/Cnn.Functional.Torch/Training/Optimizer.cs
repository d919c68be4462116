using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// A first-order optimiser written out, so each update rule reads as its source states it. It holds the module's
/// trainable parameters only — those with <c>requires_grad</c>; frozen ones (see <see cref="Freezing"/>) get no state —
/// and per parameter a few named state tensors (PyTorch's names: <c>momentum_buffer</c>, <c>exp_avg</c>, …).
/// The optimiser owns its state tensors; the module owns the parameters.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Parameter[] parameters;
    private readonly string[] names;
    private readonly Dictionary<string, Tensor>[] state;
    private readonly double[] scales;
    private readonly Scalars numbers = new();
    private readonly Scalars constants = new();
    private double learningRate;

    /// <exception cref="ArgumentException">The learning rate is not a positive finite number, or the module has no trainable parameters.</exception>
    protected Optimizer(nn.Module module, double learningRate)
    {
        var trainable = module.named_parameters().Where(p => p.parameter.requires_grad).ToArray();
        if (trainable.Length == 0)
            throw new ArgumentException($"module '{module.GetName()}' has no trainable parameters: every node is frozen or has no weights", nameof(module));
        parameters = trainable.Select(p => p.parameter).ToArray();
        names = trainable.Select(p => p.name).ToArray();
        state = names.Select(_ => new Dictionary<string, Tensor>(StringComparer.Ordinal)).ToArray();
        scales = names.Select(_ => 1.0).ToArray();
        LearningRate = learningRate;
    }

    /// <summary>A short name of the rule ("sgd", "adam"); a checkpoint's optimiser state loads only into the same kind.</summary>
    public abstract string Kind { get; }

    /// <summary>The step size ε (the schedule changes it between epochs).</summary>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = double.IsFinite(value) && value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "the learning rate must be a positive finite number");
    }

    /// <summary>The state-dict names of the parameters this optimiser updates, in module order.</summary>
    public IReadOnlyList<string> ParameterNames => names;

    /// <summary>Per parameter (as <see cref="ParameterNames"/>), the factor its step size is ε times (1 unless scaled).</summary>
    public IReadOnlyList<double> LearningRateScales => scales;

    /// <summary>
    /// Makes parameter <paramref name="name"/> step with ε·<paramref name="factor"/>: fine-tuning's smaller rate for
    /// transferred layers (the lecture: "use small learning rates while fine-tuning"). The schedule still changes ε.
    /// </summary>
    /// <exception cref="ArgumentException">No trainable parameter has that name, or the factor is not a finite number &gt; 0.</exception>
    public void ScaleLearningRate(string name, double factor)
    {
        if (!double.IsFinite(factor) || factor <= 0)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"the learning-rate factor of '{name}' must be a finite number > 0");
        var index = Array.IndexOf(names, name);
        if (index < 0) throw new ArgumentException($"'{name}' is not a trainable parameter of this optimiser", nameof(name));
        scales[index] = factor;
    }

    /// <summary>The step size of parameter <paramref name="index"/>: ε times its scale.</summary>
    protected double RateOf(int index) => learningRate * scales[index];

    /// <summary>Drops every gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>): the next backward writes fresh ones.</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters) p.grad = null;
    }

    /// <summary>Applies one update to every parameter that has a gradient; temporaries are freed before it returns.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        for (var i = 0; i < parameters.Length; i++)
        {
            using var scope = NewDisposeScope();
            var gradient = parameters[i].grad;
            if (gradient is null) continue;
            try
            {
                Update(i, parameters[i], gradient);
            }
            finally
            {
                numbers.Dispose();
            }
        }
    }

    /// <summary>
    /// One parameter's update, in place, from its gradient. Runs under no_grad in a dispose scope; numbers given to
    /// tensor operations go through <see cref="Numbers"/>.
    /// </summary>
    protected abstract void Update(int index, Tensor parameter, Tensor gradient);

    /// <summary>Native scalars for <see cref="Update"/>'s operations, freed when the update returns (see <see cref="Scalars"/>).</summary>
    protected Scalars Numbers => numbers;

    /// <summary>Native scalars for the rule's hyperparameters, made once and freed with the optimiser.</summary>
    protected Scalars Constants => constants;

    /// <summary>The named state tensor of parameter <paramref name="index"/>, or null before its first step.</summary>
    protected Tensor? Find(int index, string name) => state[index].GetValueOrDefault(name);

    /// <summary>Stores <paramref name="value"/> as a state tensor of parameter <paramref name="index"/>, taking it out of the dispose scope: the optimiser owns it.</summary>
    protected Tensor Keep(int index, string name, Tensor value)
    {
        state[index][name] = value.DetachFromDisposeScope();
        return value;
    }

    /// <summary>
    /// The whole state as <c>parameter.slot</c> → tensor (e.g. <c>fc1.weight.exp_avg</c>), for checkpoints and tests.
    /// The tensors are the optimiser's own: read, don't dispose.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> State()
    {
        var all = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
            foreach (var (slot, tensor) in state[i].OrderBy(kv => kv.Key, StringComparer.Ordinal))
                all[names[i] + "." + slot] = tensor;
        return all;
    }

    /// <summary>Replaces the state with copies of <paramref name="saved"/> (as <see cref="State"/> names it), on the parameters' devices.</summary>
    /// <exception cref="ArgumentException">A name is not a parameter of this optimiser, or a tensor's shape or type does not fit.</exception>
    public void LoadState(IReadOnlyDictionary<string, Tensor> saved)
    {
        var byName = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var loaded = names.Select(_ => new Dictionary<string, Tensor>(StringComparer.Ordinal)).ToArray();
        using var scope = NewDisposeScope();
        try
        {
            foreach (var (key, tensor) in saved)
            {
                var dot = key.LastIndexOf('.');
                if (dot <= 0 || !byName.TryGetValue(key[..dot], out var i))
                    throw new ArgumentException($"optimiser state '{key}' names no trainable parameter of this module", nameof(saved));
                var slot = key[(dot + 1)..];
                CheckSlot(slot, parameters[i], tensor, key);
                loaded[i][slot] = tensor.detach().to(parameters[i].device, copy: true).DetachFromDisposeScope();
            }
        }
        catch
        {
            foreach (var t in loaded.SelectMany(d => d.Values)) t.Dispose();
            throw;
        }
        ClearState();
        for (var i = 0; i < state.Length; i++)
            foreach (var (slot, tensor) in loaded[i]) state[i][slot] = tensor;
    }

    /// <summary>Checks that a saved state tensor fits its parameter (subclasses know their slots).</summary>
    /// <exception cref="ArgumentException">It does not.</exception>
    protected abstract void CheckSlot(string slot, Tensor parameter, Tensor value, string key);

    /// <summary>Throws unless <paramref name="value"/> has the parameter's shape and type.</summary>
    protected static void RequireLike(Tensor parameter, Tensor value, string key)
    {
        if (!value.shape.SequenceEqual(parameter.shape) || value.dtype != parameter.dtype)
            throw new ArgumentException(
                $"optimiser state '{key}' is {value.dtype} [{string.Join(", ", value.shape)}]; its parameter is {parameter.dtype} [{string.Join(", ", parameter.shape)}]");
    }

    private void ClearState()
    {
        foreach (var slots in state)
        {
            foreach (var t in slots.Values) t.Dispose();
            slots.Clear();
        }
    }

    public void Dispose()
    {
        ClearState();
        constants.Dispose();
        GC.SuppressFinalize(this);
    }
}
