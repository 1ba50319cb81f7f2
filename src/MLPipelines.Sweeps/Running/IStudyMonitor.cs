using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Running;

/// <summary>Hears what a worker does, as ML.NET AutoML's <c>IMonitor</c> (plus each epoch, for progress).</summary>
public interface IStudyMonitor
{
    void ReportRunningTrial(Trial trial) { }
    void ReportEpoch(Trial trial, EpochRecord record) { }
    void ReportCompletedTrial(Trial trial) { }
    void ReportBestTrial(Trial trial) { }
    void ReportFailTrial(Trial trial, Exception error) { }
    /// <summary>Nothing to claim while other workers' trials run.</summary>
    void ReportWaiting() { }
}
