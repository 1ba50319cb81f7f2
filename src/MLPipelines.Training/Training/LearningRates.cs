namespace MLPipelines.Training;

/// <summary>The learning rate at a given optimizer step: a pure function of the step, so a resumed run gets the same rates.</summary>
public static class LearningRates
{
    public static double At(TrainingOptions o, long step, long totalSteps)
    {
        double peak = o.LearningRate;
        double progress = totalSteps <= 1 ? 0 : Math.Clamp((double)step / (totalSteps - 1), 0, 1);
        switch (o.Schedule)
        {
            case LearningRateSchedule.Cosine:
                return peak * 0.5 * (1 + Math.Cos(Math.PI * progress));
            case LearningRateSchedule.OneCycle:
                double warm = o.WarmupFraction;
                if (progress < warm) return peak * (0.04 + 0.96 * progress / warm);
                double down = warm >= 1 ? 1 : (progress - warm) / (1 - warm);
                return peak * 0.5 * (1 + Math.Cos(Math.PI * down));
            default:
                return peak;
        }
    }
}
