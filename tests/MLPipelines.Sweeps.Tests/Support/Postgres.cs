using MLPipelines.Sweeps.Storage;

namespace MLPipelines.Sweeps.Tests.Support;

/// <summary>The PostgreSQL server of $MLP_POSTGRES (.ci/run starts one); tests that need it are inconclusive without it.</summary>
public static class Postgres
{
    public static string ConnectionString
    {
        get
        {
            string? value = Environment.GetEnvironmentVariable(StudyStorage.PostgresVariable);
            if (string.IsNullOrWhiteSpace(value)) Assert.Inconclusive($"${StudyStorage.PostgresVariable} is not set: no PostgreSQL server for this test (.ci/run starts one)");
            return value!;
        }
    }

    public static PostgresStudyStorage Open() => new(ConnectionString);

    public static string UniqueStudy(string prefix) => $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
}
