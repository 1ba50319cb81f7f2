using System.Data;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;

namespace MLPipelines.Sweeps.Storage;

/// <summary>
/// The storage both databases share: one schema (a studies table, a trials table with the checkpoint as a blob so
/// that workers on other machines can resume a trial), the same SQL; the dialects differ in how a claim is made
/// atomic (SQLite: a write transaction, BEGIN IMMEDIATE; PostgreSQL: FOR UPDATE SKIP LOCKED and a study row lock),
/// in the clock and in the blob type. Times are the database's clock, so workers on machines whose clocks differ agree.
/// </summary>
public abstract class SqlStudyStorage : IStudyStorage
{
    protected const string Studies_ = "mlp_sweep_studies";
    protected const string Trials_ = "mlp_sweep_trials";

    private const string Columns =
        "study, number, state, params, target_epochs, seed, worker, heartbeat_ms, attempts, created_ms, started_ms, finished_ms, history, wall_s, cpu_s, peak_mb, threads, error";

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public abstract string Description { get; }

    /// <summary>Opened only to read (<c>mlp sweep status</c>, reports): creates no schema, changes nothing; a missing schema reads as no studies.</summary>
    public bool ReadOnly { get; protected init; }

    /// <summary>True when the study tables exist (a read-only storage over an empty database has none).</summary>
    protected abstract bool SchemaExists(DbConnection c);

    protected abstract DbConnection OpenConnection();
    /// <summary>Milliseconds since 1970 by the database's clock, as an SQL expression.</summary>
    protected abstract string NowMs { get; }
    protected abstract string BlobType { get; }
    /// <summary>The sub-query that picks the next waiting trial's number (PostgreSQL adds FOR UPDATE SKIP LOCKED).</summary>
    protected abstract string NextWaitingSql { get; }
    /// <summary>A transaction that may write; for SQLite it takes the write lock at once (BEGIN IMMEDIATE).</summary>
    protected abstract DbTransaction BeginWrite(DbConnection c);
    /// <summary>Serializes proposals for one study (PostgreSQL: locks the study's row; SQLite: the write transaction already does).</summary>
    protected abstract void LockStudy(DbConnection c, DbTransaction tx, string study);
    /// <summary>Serializes schema creation between processes.</summary>
    protected virtual void LockSchema(DbConnection c, DbTransaction tx) { }

    protected void CreateSchema()
    {
        using var c = OpenConnection();
        using var tx = BeginWrite(c);
        LockSchema(c, tx);
        Exec(c, tx, $"""
            CREATE TABLE IF NOT EXISTS {Studies_} (
                name TEXT PRIMARY KEY,
                config TEXT NOT NULL,
                created_ms BIGINT NOT NULL)
            """);
        Exec(c, tx, $"""
            CREATE TABLE IF NOT EXISTS {Trials_} (
                study TEXT NOT NULL REFERENCES {Studies_}(name) ON DELETE CASCADE,
                number INTEGER NOT NULL,
                state TEXT NOT NULL,
                params TEXT NOT NULL,
                param_key TEXT NOT NULL,
                target_epochs INTEGER NOT NULL,
                seed BIGINT NOT NULL,
                worker TEXT,
                heartbeat_ms BIGINT,
                attempts INTEGER NOT NULL DEFAULT 0,
                created_ms BIGINT NOT NULL,
                started_ms BIGINT,
                finished_ms BIGINT,
                history TEXT NOT NULL DEFAULT '[]',
                wall_s DOUBLE PRECISION NOT NULL DEFAULT 0,
                cpu_s DOUBLE PRECISION NOT NULL DEFAULT 0,
                peak_mb DOUBLE PRECISION NOT NULL DEFAULT 0,
                threads INTEGER NOT NULL DEFAULT 0,
                error TEXT,
                checkpoint {BlobType},
                PRIMARY KEY (study, number),
                UNIQUE (study, param_key))
            """);
        Exec(c, tx, $"CREATE INDEX IF NOT EXISTS mlp_sweep_trials_state ON {Trials_} (study, state, number)");
        tx.Commit();
    }

    public StudyConfig CreateOrOpen(StudyConfig config, IReadOnlyList<ParameterSet> initial)
    {
        using var c = OpenConnection();
        using var tx = BeginWrite(c);
        int created = Exec(c, tx, $"INSERT INTO {Studies_} (name, config, created_ms) VALUES (@n, @c, {NowMs}) ON CONFLICT (name) DO NOTHING",
            ("n", config.Name), ("c", config.ToJson()));
        if (created == 0)
        {
            var stored = FindIn(c, tx, config.Name)!;
            tx.Commit();
            string? difference = stored.Difference(config);
            if (difference is not null)
                throw new ArgumentException($"study '{config.Name}' already exists with {difference}; resume it with the same options or choose another --study name");
            return stored;
        }
        for (int i = 0; i < initial.Count; i++)
            Insert(c, tx, config.Name, i, initial[i], config.Epochs, config.Seed, TrialState.Waiting, worker: null);
        tx.Commit();
        return config;
    }

    public StudyConfig? Find(string study)
    {
        using var c = OpenConnection();
        if (ReadOnly && !SchemaExists(c)) return null;
        return FindIn(c, null, study);
    }

    private static StudyConfig? FindIn(DbConnection c, DbTransaction? tx, string study) =>
        Query(c, tx, $"SELECT config FROM {Studies_} WHERE name = @n", r => StudyConfig.FromJson(r.GetString(0)), ("n", study)).FirstOrDefault();

    public IReadOnlyList<string> Studies()
    {
        using var c = OpenConnection();
        if (ReadOnly && !SchemaExists(c)) return [];
        return Query(c, null, $"SELECT name FROM {Studies_} ORDER BY created_ms, name", r => r.GetString(0));
    }

    public Study Load(string study)
    {
        using var c = OpenConnection();
        var config = (ReadOnly && !SchemaExists(c) ? null : FindIn(c, null, study)) ?? throw new ArgumentException($"no study named '{study}' in {Description}");
        return new Study(config, LoadTrials(c, null, study));
    }

    public void Delete(string study)
    {
        using var c = OpenConnection();
        using var tx = BeginWrite(c);
        Exec(c, tx, $"DELETE FROM {Trials_} WHERE study = @s", ("s", study));
        Exec(c, tx, $"DELETE FROM {Studies_} WHERE name = @s", ("s", study));
        tx.Commit();
    }

    public Claim Claim(string study, string worker, ITuner tuner, TimeSpan staleAfter)
    {
        RequeueStale(study, staleAfter);
        using var c = OpenConnection();
        for (int round = 0; round < 5; round++)
        {
            using (var tx = BeginWrite(c))
            {
                var claimed = Query(c, tx, $"""
                    UPDATE {Trials_} SET state = 'running', worker = @w, heartbeat_ms = {NowMs}, attempts = attempts + 1,
                        started_ms = COALESCE(started_ms, {NowMs})
                    WHERE study = @s AND state = 'waiting' AND number = ({NextWaitingSql})
                    RETURNING {Columns}
                    """, ReadTrial, ("s", study), ("w", worker));
                tx.Commit();
                if (claimed.Count == 1) return new Claim.Work(claimed[0]);
            }
            using (var tx = BeginWrite(c))
            {
                LockStudy(c, tx, study);
                var trials = LoadTrials(c, tx, study);
                if (trials.Any(t => t.State == TrialState.Waiting))
                {
                    tx.Commit();
                    continue; // re-queued or added since the first step: claim it the usual way
                }
                var config = FindIn(c, tx, study) ?? throw new ArgumentException($"no study named '{study}' in {Description}");
                Claim result;
                switch (tuner.Propose(trials))
                {
                    case Proposal.NewTrial n:
                        int number = trials.Count == 0 ? 0 : trials.Max(t => t.Number) + 1;
                        Insert(c, tx, study, number, n.Parameters, n.Epochs, config.Seed, TrialState.Running, worker);
                        result = new Claim.Work(LoadTrial(c, tx, study, number));
                        break;
                    case Proposal.Promote p:
                        int updated = Exec(c, tx, $"""
                            UPDATE {Trials_} SET state = 'running', target_epochs = @e, worker = @w, heartbeat_ms = {NowMs},
                                attempts = attempts + 1, finished_ms = NULL
                            WHERE study = @s AND number = @n AND state = 'pruned'
                            """, ("s", study), ("n", p.Number), ("e", p.Epochs), ("w", worker));
                        if (updated != 1) throw new InvalidOperationException($"the tuner promoted trial {p.Number}, which is not stopped at a rung");
                        result = new Claim.Work(LoadTrial(c, tx, study, p.Number));
                        break;
                    default:
                        result = trials.Any(t => t.State == TrialState.Running) ? new Claim.Wait() : new Claim.Done();
                        break;
                }
                tx.Commit();
                return result;
            }
        }
        return new Claim.Wait();
    }

    public int RequeueStale(string study, TimeSpan staleAfter)
    {
        using var c = OpenConnection();
        int requeued = 0;
        var running = Query(c, null, $"SELECT number, worker FROM {Trials_} WHERE study = @s AND state = 'running'",
            r => (Number: r.GetInt32(0), Worker: r.IsDBNull(1) ? null : r.GetString(1)), ("s", study));
        foreach (var (number, worker) in running.Where(t => WorkerIdentity.IsDeadOnThisHost(t.Worker)))
            requeued += Exec(c, null, $"UPDATE {Trials_} SET state = 'waiting', worker = NULL WHERE study = @s AND number = @n AND worker = @w AND state = 'running'",
                ("s", study), ("n", number), ("w", worker));
        requeued += Exec(c, null, $"UPDATE {Trials_} SET state = 'waiting', worker = NULL WHERE study = @s AND state = 'running' AND heartbeat_ms < {NowMs} - @stale",
            ("s", study), ("stale", (long)staleAfter.TotalMilliseconds));
        return requeued;
    }

    public bool Heartbeat(string study, int number, string worker)
    {
        using var c = OpenConnection();
        return Exec(c, null, $"UPDATE {Trials_} SET heartbeat_ms = {NowMs} WHERE {Held}", Holder(study, number, worker)) == 1;
    }

    public bool SaveEpoch(string study, int number, string worker, EpochRecord record, byte[]? checkpoint, ResourceUse use)
    {
        using var c = OpenConnection();
        using var tx = BeginWrite(c);
        var history = Query(c, tx, $"SELECT history FROM {Trials_} WHERE {Held}", r => ReadHistory(r.GetString(0)), Holder(study, number, worker)).FirstOrDefault();
        if (history is null) return false;
        var updated = history.Where(h => h.Epoch != record.Epoch).Append(record).OrderBy(h => h.Epoch).ToList();
        Exec(c, tx, $"""
            UPDATE {Trials_} SET history = @h, checkpoint = COALESCE(@ckpt, checkpoint), heartbeat_ms = {NowMs},
                wall_s = wall_s + @wall, cpu_s = cpu_s + @cpu, peak_mb = CASE WHEN peak_mb > @peak THEN peak_mb ELSE @peak END, threads = @threads
            WHERE {Held}
            """, [.. Holder(study, number, worker), ("h", JsonSerializer.Serialize(updated, Json)), ("ckpt", checkpoint),
            ("wall", use.WallSeconds), ("cpu", use.CpuSeconds), ("peak", use.PeakMemoryMb), ("threads", use.Threads)]);
        tx.Commit();
        return true;
    }

    public byte[]? LoadCheckpoint(string study, int number)
    {
        using var c = OpenConnection();
        return Query(c, null, $"SELECT checkpoint FROM {Trials_} WHERE study = @s AND number = @n",
            r => r.IsDBNull(0) ? null : (byte[])r.GetValue(0), ("s", study), ("n", number)).FirstOrDefault();
    }

    public bool Finish(string study, int number, string worker, TrialState state, string? error = null)
    {
        using var c = OpenConnection();
        return Exec(c, null, $"UPDATE {Trials_} SET state = @state, finished_ms = {NowMs}, error = @err WHERE {Held}",
            [.. Holder(study, number, worker), ("state", state.ToText()), ("err", error)]) == 1;
    }

    public bool Release(string study, int number, string worker)
    {
        using var c = OpenConnection();
        return Exec(c, null, $"UPDATE {Trials_} SET state = 'waiting', worker = NULL WHERE {Held}", Holder(study, number, worker)) == 1;
    }

    private const string Held = "study = @s AND number = @n AND worker = @w AND state = 'running'";

    private static (string, object?)[] Holder(string study, int number, string worker) => [("s", study), ("n", number), ("w", worker)];

    private void Insert(DbConnection c, DbTransaction tx, string study, int number, ParameterSet p, int epochs, long seed, TrialState state, string? worker) =>
        Exec(c, tx, $"""
            INSERT INTO {Trials_} (study, number, state, params, param_key, target_epochs, seed, worker, heartbeat_ms, attempts, created_ms, started_ms)
            VALUES (@s, @n, @state, @p, @k, @e, @seed, @w, {(worker is null ? "NULL" : NowMs)}, {(worker is null ? 0 : 1)}, {NowMs}, {(worker is null ? "NULL" : NowMs)})
            """, ("s", study), ("n", number), ("state", state.ToText()), ("p", p.ToJson()), ("k", p.Key), ("e", epochs), ("seed", seed), ("w", worker));

    private static IReadOnlyList<Trial> LoadTrials(DbConnection c, DbTransaction? tx, string study) =>
        Query(c, tx, $"SELECT {Columns} FROM {Trials_} WHERE study = @s ORDER BY number", ReadTrial, ("s", study));

    private static Trial LoadTrial(DbConnection c, DbTransaction? tx, string study, int number) =>
        Query(c, tx, $"SELECT {Columns} FROM {Trials_} WHERE study = @s AND number = @n", ReadTrial, ("s", study), ("n", number)).Single();

    private static Trial ReadTrial(DbDataReader r) => new()
    {
        Study = r.GetString(0),
        Number = Convert.ToInt32(r.GetValue(1)),
        State = TrialStates.Parse(r.GetString(2)),
        Parameters = ParameterSet.FromJson(r.GetString(3)),
        TargetEpochs = Convert.ToInt32(r.GetValue(4)),
        Seed = Convert.ToInt64(r.GetValue(5)),
        Worker = r.IsDBNull(6) ? null : r.GetString(6),
        Heartbeat = Time(r, 7),
        Attempts = Convert.ToInt32(r.GetValue(8)),
        Created = Time(r, 9) ?? DateTime.MinValue,
        Started = Time(r, 10),
        Finished = Time(r, 11),
        History = ReadHistory(r.GetString(12)),
        WallSeconds = Convert.ToDouble(r.GetValue(13)),
        CpuSeconds = Convert.ToDouble(r.GetValue(14)),
        PeakMemoryMb = Convert.ToDouble(r.GetValue(15)),
        Threads = Convert.ToInt32(r.GetValue(16)),
        Error = r.IsDBNull(17) ? null : r.GetString(17),
    };

    private static List<EpochRecord> ReadHistory(string json) => JsonSerializer.Deserialize<List<EpochRecord>>(json, Json) ?? [];

    private static DateTime? Time(DbDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(i))).UtcDateTime;

    protected static int Exec(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(c, tx, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    protected static List<T> Query<T>(DbConnection c, DbTransaction? tx, string sql, Func<DbDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(c, tx, sql, parameters);
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(read(r));
        return list;
    }

    private static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value ?? DBNull.Value;
            if (value is null && name == "ckpt") p.DbType = DbType.Binary;
            else if (value is null) p.DbType = DbType.String;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
