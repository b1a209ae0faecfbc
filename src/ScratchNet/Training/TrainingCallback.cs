namespace ScratchNet;

/// <summary>
/// Hooks into <see cref="Trainer.Fit"/>, as Keras callbacks do: override the moments you care about.
/// The trainer calls every callback in <see cref="TrainingOptions.Callbacks"/>, in order, on the
/// training thread. Any callback can end training after the current epoch with
/// <see cref="TrainingContext.Stop"/>.
/// </summary>
/// <remarks>
/// Built in: <see cref="EarlyStopping"/>, <see cref="ModelCheckpoint"/>
/// and <see cref="LambdaCallback"/> (your own code as lambdas). <see cref="OnBatchEnd"/> runs after
/// every minibatch: keep it cheap and do not allocate there, or the training step stops being
/// allocation-free.
/// </remarks>
public abstract class TrainingCallback
{
    /// <summary>Before the first epoch. The validation set, if any, is already chosen.</summary>
    /// <param name="context">The training run.</param>
    public virtual void OnTrainBegin(TrainingContext context)
    {
    }

    /// <summary>
    /// At the start of an epoch, after <see cref="TrainingOptions.LearningRateSchedule"/> set the
    /// learning rate and before shuffling: a callback may change <see cref="TrainingContext.Optimizer"/>'s rate here.
    /// </summary>
    /// <param name="epoch">The epoch about to start, counting from 1.</param>
    /// <param name="context">The training run.</param>
    public virtual void OnEpochBegin(int epoch, TrainingContext context)
    {
    }

    /// <summary>After every minibatch's step.</summary>
    /// <param name="progress">Where the epoch stands.</param>
    /// <param name="context">The training run.</param>
    public virtual void OnBatchEnd(BatchProgress progress, TrainingContext context)
    {
    }

    /// <summary>After an epoch and its validation, once the report is in <see cref="TrainingContext.History"/>.</summary>
    /// <param name="report">The epoch's metrics.</param>
    /// <param name="context">The training run; call <see cref="TrainingContext.Stop"/> to end it here.</param>
    public virtual void OnEpochEnd(EpochReport report, TrainingContext context)
    {
    }

    /// <summary>After the last epoch, or the epoch in which a callback stopped training. Not called when training throws or is cancelled.</summary>
    /// <param name="context">The training run; <see cref="TrainingContext.History"/> is complete.</param>
    public virtual void OnTrainEnd(TrainingContext context)
    {
    }
}
