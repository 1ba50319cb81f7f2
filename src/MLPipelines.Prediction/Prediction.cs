namespace MLPipelines.Prediction;

/// <summary>A class and its probability.</summary>
public readonly record struct ClassScore(string Label, float Probability);

/// <summary>What a model says of one image: the predicted class, its probability, and every class's probability.</summary>
public sealed record Prediction(string Label, int Index, float Probability, IReadOnlyList<ClassScore> Scores)
{
    /// <summary>The <paramref name="k"/> most probable classes, most probable first.</summary>
    public IReadOnlyList<ClassScore> TopK(int k) => Scores.OrderByDescending(s => s.Probability).Take(k).ToList();

    public static Prediction FromScores(float[] scores, IReadOnlyList<string> classes)
    {
        if (scores.Length != classes.Count)
            throw new InvalidOperationException($"the model gave {scores.Length} scores for {classes.Count} classes");
        int best = 0;
        for (int i = 1; i < scores.Length; i++) if (scores[i] > scores[best]) best = i;
        return new Prediction(classes[best], best, scores[best], scores.Select((p, i) => new ClassScore(classes[i], p)).ToList());
    }
}
