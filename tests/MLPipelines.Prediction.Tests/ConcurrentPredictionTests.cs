using MLPipelines.Prediction.Tests.Support;
using MLPipelines.Tests.Support;

namespace MLPipelines.Prediction.Tests;

/// <summary>ImageClassifier shared by threads (as the scorer and a web server use it) gives what it gives alone.</summary>
[TestClass]
public sealed class ConcurrentPredictionTests
{
    [TestMethod]
    [RequiresData("handwritten-digits")]
    [TestCategory("slow")]
    public void ParallelPredictionsEqualSequentialOnes()
    {
        string digits = TestData.HandwrittenDigits;
        var images = Enumerable.Range(0, 10).SelectMany(d => new[] { Path.Combine(digits, "small", $"{d}.png"), Path.Combine(digits, "drawn", $"{d}.png") })
            .Select(File.ReadAllBytes).ToArray();
        using var classifier = ImageClassifier.Load(TestData.DigitsModel);
        var expected = images.Select(b => classifier.Predict(b)).ToArray();

        var results = new Prediction[images.Length * 20];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            if (i % 2 == 0)
            {
                results[i] = classifier.Predict(images[i % images.Length]);
            }
            else
            {
                using var prepared = classifier.Prepare(images[i % images.Length]);
                results[i] = classifier.PredictPrepared(prepared);
            }
        });
        for (int i = 0; i < results.Length; i++)
        {
            var e = expected[i % images.Length];
            Assert.AreEqual(e.Label, results[i].Label, $"prediction {i}");
            CollectionAssert.AreEqual(e.Scores.Select(s => s.Probability).ToArray(), results[i].Scores.Select(s => s.Probability).ToArray(), $"prediction {i}");
        }
    }
}
