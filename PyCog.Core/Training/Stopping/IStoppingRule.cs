using PyCog.IO;

namespace PyCog.Training.Stopping;

/// <summary>
/// A rule that can end training, asked at three moments of every iteration; each returns the
/// reason to stop, or null to go on. pycog's rules are <see cref="MaxIterRule"/>,
/// <see cref="MinErrorRule"/>, <see cref="CriterionRule"/> and <see cref="PatienceRule"/>
/// (<see cref="StoppingRules.Pycog"/>); a user rule joins them in <see cref="Trainer.StoppingRules"/>.
/// A rule should decide from <see cref="TrainingState"/> alone (no state of its own), so that a
/// resumed run stops where an uninterrupted one would.
/// </summary>
public interface IStoppingRule
{
    /// <summary>At the top of an iteration, before its validation (if one is due).</summary>
    Termination? BeforeIteration(TrainingState state) => null;

    /// <summary>Right after a validation (the newest is <see cref="TrainingState.Latest"/>).</summary>
    Termination? AfterValidation(TrainingState state) => null;

    /// <summary>Just before the iteration's gradient step.</summary>
    Termination? BeforeStep(TrainingState state) => null;
}
