namespace ScratchNet;

/// <summary>
/// A random change applied to each training minibatch before the network sees it (a copy: the dataset
/// itself never changes). Set one in <see cref="TrainingOptions.Augmentation"/>; the trainer seeds its
/// random source from <see cref="TrainingOptions.Seed"/>, so training stays reproducible.
/// </summary>
public abstract class Augmentation
{
    /// <summary>Changes the samples of <paramref name="batch"/> in place.</summary>
    /// <param name="batch">The minibatch's inputs, batch first.</param>
    /// <param name="random">The source of every random choice.</param>
    public abstract void Apply(Tensor batch, Random random);
}
