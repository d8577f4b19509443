using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Crypto;
using WeComExport.Diagnostics;
using WeComExport.Export;
using WeComExport.Internal;
using WeComExport.Records;
using WeComExport.Tags;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// The nightly job in one call: starts the member, department and tag exports at once, waits for them, receives
    /// each as decrypted block files, reads every file back (SHA-256, record count), writes manifest.json, and moves the
    /// finished folder into place whole (<see cref="SnapshotFolder"/>). Any failure, cancellation included, removes the
    /// staging folder and leaves what was at the target untouched.
    /// </summary>
    public static class SnapshotWriter
    {
        /// <summary>
        /// Checks that a snapshot may be written to <paramref name="path"/> (nothing is sent or written): returns the
        /// full path it will have, or throws <see cref="WeComException"/> (<see cref="WeComErrors.InvalidSnapshotPath"/>,
        /// <see cref="WeComErrors.SnapshotPathInUse"/>).
        /// </summary>
        public static string CheckTarget(string path, bool force)
        {
            string target = SnapshotFolder.Normalize(path);
            SnapshotFolder.CheckTarget(target, force);
            return target;
        }

        /// <summary>Writes a snapshot of the session's corp to <paramref name="path"/> (a full path) and returns its summary.</summary>
        public static async Task<WeComDirectorySnapshot> WriteAsync(WeComSession session, string path, SnapshotOptions options, Action<SnapshotProgress>? progress, CancellationToken cancellationToken)
        {
            if (session is null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            SnapshotFormat formats = options.Formats;
            if ((formats & (SnapshotFormat.Json | SnapshotFormat.Csv)) == 0 || (formats & ~(SnapshotFormat.Json | SnapshotFormat.Csv)) != 0)
            {
                throw new ArgumentException("The snapshot format must be Json, Csv, or both.", nameof(options));
            }

            if (options.PollInterval <= TimeSpan.Zero || options.MaxConcurrentReceives < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(options), "The poll interval and the concurrent receives must be positive.");
            }

            // Everything that can be refused locally is refused before anything is sent to WeCom.
            string target = SnapshotFolder.Normalize(path);
            var receiveOptions = new ReceiveOptions { TempDirectory = options.TempDirectory, OncePerRecord = true };
            receiveOptions.TempDirectory = receiveOptions.ResolveTempDirectory();
            session.ThrowIfDisconnected();
            string parent = Path.GetDirectoryName(target)!;
            if (Directory.Exists(parent))
            {
                SnapshotFolder.RemoveStale(parent);
            }

            SnapshotFolder.CheckTarget(target, options.Force);

            var run = new Run(session, options, receiveOptions, progress);
            run.Report(new SnapshotProgress(SnapshotStage.Starting, 0, 0, run.Elapsed));
            IReadOnlyList<PlannedExport> plan = await PlanAsync(session, options, cancellationToken).ConfigureAwait(false);
            run.Staging = SnapshotFolder.CreateStaging(target);
            WeComLog.Verbose($"Writing the snapshot of corp {session.CorpId} in '{run.Staging}' ({plan.Count} exports); it replaces '{target}' when complete.");
            try
            {
                IReadOnlyList<SnapshotExport> exports = await run.ExportAllAsync(plan, cancellationToken).ConfigureAwait(false);
                WarnIfNoDepartments(exports);
                IReadOnlyList<SnapshotFile>? csv = null;
                if ((formats & SnapshotFormat.Csv) != 0)
                {
                    run.Report(new SnapshotProgress(SnapshotStage.WritingCsv, plan.Count, plan.Count, run.Elapsed));
                    csv = await options.CsvWriter(run.Staging, exports, run.MemberRows, cancellationToken).ConfigureAwait(false);
                    OwnerOnly(run.Staging, csv);
                }

                // Its rows file is in the staging folder: gone before the folder is committed.
                run.MemberRows?.Dispose();

                if ((formats & SnapshotFormat.Json) == 0)
                {
                    exports = DropBlockFiles(run.Staging, exports);
                }

                DateTimeOffset completedAt = DateTimeOffset.Now;
                var manifest = new SnapshotManifest(session.CorpId, options.ModuleVersion ?? EngineVersion(), run.StartedAt, completedAt, exports, csv);
                WriteManifest(run.Staging, manifest);
                cancellationToken.ThrowIfCancellationRequested();

                run.Report(new SnapshotProgress(SnapshotStage.Committing, plan.Count, plan.Count, run.Elapsed));
                SnapshotFolder.Commit(run.Staging, target, options.Force);
                WeComLog.Verbose($"The snapshot is in place at '{target}'.");
                return Summarize(session.CorpId, target, manifest, formats);
            }
            catch
            {
                run.MemberRows?.Dispose();
                if (!SnapshotFolder.TryDeleteTree(run.Staging))
                {
                    // A warning: it holds part of the directory (members' data), and only an export from another process,
                    // after this one has ended, tries again.
                    WeComLog.Warning($"The unfinished snapshot in '{run.Staging}' could not be removed (wholly or in part); an export into this folder's parent from a later session tries again. Check its permissions or attributes, or delete it yourself.");
                }

                throw;
            }
        }

        /// <summary>The exports of this snapshot, in manifest order: members, departments, then each tag.</summary>
        private static async Task<IReadOnlyList<PlannedExport>> PlanAsync(WeComSession session, SnapshotOptions options, CancellationToken cancellationToken)
        {
            ExportKind members = options.Detailed ? ExportKind.User : ExportKind.SimpleUser;
            var plan = new List<PlannedExport>
            {
                new(NameOf(members, null), members, null, null),
                new(NameOf(ExportKind.Department, null), ExportKind.Department, null, null),
            };
            if (options.AllTags)
            {
                IReadOnlyList<WeComTag> tags = await TagOperations.ListAsync(session, cancellationToken).ConfigureAwait(false);
                plan.AddRange(tags.GroupBy(t => t.TagId).Select(g => g.First()).OrderBy(t => t.TagId)
                    .Select(t => new PlannedExport(NameOf(ExportKind.TagUser, t.TagId), ExportKind.TagUser, t.TagId, t.TagName)));
            }
            else if (options.TagIds is not null)
            {
                plan.AddRange(options.TagIds.Distinct().Select(id => new PlannedExport(NameOf(ExportKind.TagUser, id), ExportKind.TagUser, id, null)));
            }

            return plan;
        }

        /// <summary>An export's name in a snapshot, which its files are named after: the API's name, and the tag id for tags.</summary>
        internal static string NameOf(ExportKind kind, long? tagId) => kind switch
        {
            ExportKind.SimpleUser => "simple_user",
            ExportKind.User => "user",
            ExportKind.Department => "department",
            ExportKind.TagUser => "taguser-" + tagId!.Value.ToString(CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown export kind."),
        };

        /// <summary>
        /// An export of no department is a snapshot (an app whose visible range lists members only sees none), but said: its
        /// members still name departments, and a department answer that came back empty once would otherwise pass unseen.
        /// </summary>
        private static void WarnIfNoDepartments(IReadOnlyList<SnapshotExport> exports)
        {
            long members = exports.Where(e => RecordKinds.Of(e.Kind) == WeComRecordKind.User).Sum(e => e.RecordCount);
            if (members > 0 && exports.Any(e => e.Kind == ExportKind.Department && e.RecordCount == 0))
            {
                WeComLog.Warning(string.Format(CultureInfo.InvariantCulture, "The department export holds no department, though the member export holds {0:N0} members: the snapshot has no department names or paths. If the app's visible range lists departments, export again.", members));
            }
        }

        private static List<SnapshotExport> DropBlockFiles(string staging, IReadOnlyList<SnapshotExport> exports)
        {
            foreach (SnapshotFile file in exports.SelectMany(e => e.Files))
            {
                File.Delete(Path.Combine(staging, file.Name));
            }

            return exports.Select(e => new SnapshotExport(e.Kind, e.JobId, e.TagId, e.TagName, e.BlockCount, e.RecordCount, Array.Empty<SnapshotFile>())).ToList();
        }

        /// <summary>The staging folder is the owner's only already; the files written into it by others are made so too.</summary>
        private static void OwnerOnly(string staging, IReadOnlyList<SnapshotFile> files)
        {
            if (UnixFileModes.Available)
            {
                foreach (SnapshotFile file in files)
                {
                    UnixFileModes.SetMode(Path.Combine(staging, file.Name), UnixFileModes.OwnerReadWrite);
                }
            }
        }

        private static void WriteManifest(string staging, SnapshotManifest manifest)
        {
            using FileStream stream = OutputFolder.CreateTemp(Path.Combine(staging, SnapshotManifest.FileName), 4096);
            manifest.WriteTo(stream);
            stream.Flush(flushToDisk: true);
        }

        private static WeComDirectorySnapshot Summarize(string corpId, string path, SnapshotManifest manifest, SnapshotFormat formats)
        {
            long Count(params ExportKind[] kinds) => manifest.Exports.Where(e => kinds.Contains(e.Kind)).Sum(e => e.RecordCount);
            var jobIds = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (SnapshotExport export in manifest.Exports)
            {
                jobIds[NameOf(export.Kind, export.TagId)] = export.JobId;
            }

            return new WeComDirectorySnapshot(
                corpId,
                path,
                Count(ExportKind.SimpleUser, ExportKind.User),
                Count(ExportKind.Department),
                Count(ExportKind.TagUser),
                new ReadOnlyDictionary<string, string>(jobIds),
                manifest.StartedAt,
                manifest.CompletedAt,
                formats);
        }

        private static string EngineVersion()
        {
            Version version = typeof(SnapshotWriter).Assembly.GetName().Version ?? new Version(0, 0, 0);
            return string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}", version.Major, version.Minor, Math.Max(0, version.Build));
        }

        private sealed record PlannedExport(string Name, ExportKind Kind, long? TagId, string? TagName);

        /// <summary>One snapshot in progress: its clock, staging folder and the state its exports share.</summary>
        private sealed class Run
        {
            private readonly WeComSession session;
            private readonly SnapshotOptions options;
            private readonly ReceiveOptions receiveOptions;
            private readonly Action<SnapshotProgress>? progress;
            private readonly Stopwatch clock = Stopwatch.StartNew();

            // With CSV, members.csv's rows are written as the members arrive, and they name each member's departments.
            private readonly TaskCompletionSource<DepartmentDirectory> departmentsRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
            private int exportsDone;
            private int exportCount;

            public Run(WeComSession session, SnapshotOptions options, ReceiveOptions receiveOptions, Action<SnapshotProgress>? progress)
            {
                this.session = session;
                this.options = options;
                this.receiveOptions = receiveOptions;
                this.progress = progress;
            }

            public DateTimeOffset StartedAt { get; } = DateTimeOffset.Now;

            public TimeSpan Elapsed => clock.Elapsed;

            public string Staging { get; set; } = string.Empty;

            /// <summary>members.csv's rows, written while the member export is received (only when CSV is written).</summary>
            public MemberRows? MemberRows { get; private set; }

            private bool WritesCsv => (options.Formats & SnapshotFormat.Csv) != 0;

            public void Report(SnapshotProgress report) => progress?.Invoke(report);

            /// <summary>
            /// Runs every export at once (start, wait, receive, check) and returns them in plan order. The first failure
            /// cancels the others and is what is thrown, once they have all stopped writing into the staging folder.
            /// </summary>
            public async Task<IReadOnlyList<SnapshotExport>> ExportAllAsync(IReadOnlyList<PlannedExport> plan, CancellationToken cancellationToken)
            {
                exportCount = plan.Count;
                if (!plan.Any(p => p.Kind == ExportKind.Department))
                {
                    departmentsRead.TrySetResult(new DepartmentDirectory());
                }

                using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                using var receiveSlots = new SemaphoreSlim(options.MaxConcurrentReceives);
                TimeSpan waitStarted = Elapsed;
                Exception? first = null;

                async Task<SnapshotExport> RunOne(PlannedExport planned, int index)
                {
                    try
                    {
                        return await ExportOneAsync(planned, index, waitStarted, receiveSlots, failFast.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        if (ex is not OperationCanceledException)
                        {
                            // With -AllTags, "export block 0" alone would not say which export.
                            WeComErrorContext.Add(ex, $"the {planned.Name} export");
                        }

                        Interlocked.CompareExchange(ref first, ex, null);
                        failFast.Cancel();
                        throw;
                    }
                }

                Task<SnapshotExport>[] tasks = plan.Select((planned, index) => RunOne(planned, index)).ToArray();
                try
                {
                    return await Task.WhenAll(tasks).ConfigureAwait(false);
                }
                catch
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (first is not null)
                    {
                        ExceptionDispatchInfo.Capture(first).Throw();
                    }

                    throw;
                }
            }

            private async Task<SnapshotExport> ExportOneAsync(PlannedExport planned, int index, TimeSpan waitStarted, SemaphoreSlim receiveSlots, CancellationToken ct)
            {
                SnapshotProgress About(SnapshotStage stage, string? jobId) => new(stage, Volatile.Read(ref exportsDone), exportCount, Elapsed)
                {
                    ExportIndex = index,
                    ExportName = planned.Name,
                    Kind = planned.Kind,
                    JobId = jobId,
                };

                WeComExportJob job = await ExportOperations.StartAsync(session, planned.Kind, EncodingAesKey.Generate(), options.BlockSize, planned.TagId, ct).ConfigureAwait(false);
                TimeSpan? timeout = null;
                if (options.Timeout is { } limit)
                {
                    TimeSpan left = limit - (Elapsed - waitStarted);
                    timeout = left > TimeSpan.Zero ? left : TimeSpan.Zero;
                }

                job.LastResult = await ExportOperations.WaitAsync(
                    session,
                    job.JobId,
                    timeout,
                    options.PollInterval,
                    (result, _) =>
                    {
                        if (result.Status != ExportStatus.Done)
                        {
                            SnapshotProgress waiting = About(SnapshotStage.Waiting, job.JobId);
                            waiting.Status = result.Status;
                            Report(waiting);
                        }
                    },
                    ct).ConfigureAwait(false);

                bool members = planned.Kind is ExportKind.User or ExportKind.SimpleUser;
                DepartmentDirectory? departments = null;
                if (WritesCsv && members)
                {
                    // Before taking a receive slot, which the department export may be waiting for.
                    departments = await DepartmentsReadAsync(ct).ConfigureAwait(false);
                }

                var files = new List<SnapshotFile>();
                long records = 0;
                int blocks;
                string? tagName = planned.TagName;
                await receiveSlots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    Action<ReceiveProgress> receiveProgress = p =>
                    {
                        SnapshotProgress receiving = About(SnapshotStage.Receiving, job.JobId);
                        receiving.Receive = p;
                        Report(receiving);
                    };

                    MemberRows? rows = departments is null ? null : MemberRows = new MemberRows(Staging, departments, null);

                    // The rows are written on another core than the one the blocks are parsed on.
                    using BackgroundConsumer<WeComUser>? rowFeed = rows is null ? null : new BackgroundConsumer<WeComUser>(rows.Add, ct);
                    if (rowFeed is not null && (options.Formats & SnapshotFormat.Json) == 0)
                    {
                        // CSV alone: the rows are all that is kept of the members, so no block file is written for them.
                        await ExportReceiver.ReceiveRecordsAsync(session, job, record => rowFeed.Add((WeComUser)record), receiveProgress, receiveOptions, ct).ConfigureAwait(false);
                        rowFeed.Complete();
                        records = rows!.Count;
                        blocks = job.LastResult?.BlockCount ?? 0;
                        WeComLog.Verbose(string.Format(CultureInfo.InvariantCulture, "Export {0} (job {1}): {2} block(s), {3} records, written as {4} rows.", planned.Name, job.JobId, blocks, records, SnapshotCsv.MembersFileName));
                    }
                    else
                    {
                        DepartmentDirectory? departmentsSeen = WritesCsv && planned.Kind == ExportKind.Department ? new DepartmentDirectory() : null;
                        Action<WeComRecord> noteRecord = record =>
                        {
                            if (tagName is null && record is WeComTagMember member)
                            {
                                tagName = member.TagName;
                            }
                            else if (rowFeed is not null && record is WeComUser user)
                            {
                                rowFeed.Add(user);
                            }
                            else if (departmentsSeen is not null && record is WeComDepartment department)
                            {
                                departmentsSeen.Add(department);
                            }
                        };

                        // Each block file is read as it is written (size, SHA-256, records; members.csv's rows), so a
                        // file that would not read back as its export's records fails here, with no second pass.
                        await ExportReceiver.ReceiveFilesAsync(
                            session,
                            job,
                            Staging,
                            planned.Name,
                            () => new BlockFileReading(planned.TagId, noteRecord),
                            (file, reading) =>
                            {
                                files.Add(new SnapshotFile(file.Name, reading.Bytes, reading.Sha256Hex, reading.Records));
                                records += reading.Records;
                            },
                            receiveProgress,
                            receiveOptions,
                            ct).ConfigureAwait(false);

                        rowFeed?.Complete();
                        blocks = files.Count;
                        if (departmentsSeen is not null)
                        {
                            departmentsRead.TrySetResult(departmentsSeen);
                        }

                        WeComLog.Verbose(string.Format(CultureInfo.InvariantCulture, "Export {0} (job {1}): {2} block file(s), {3} records, read and hashed as written.", planned.Name, job.JobId, files.Count, records));
                    }

                    // A tag may be empty, and so may the departments an app sees (its visible range may list members only);
                    // the members it may see never are: no snapshot says the corp has none.
                    if (records == 0 && members)
                    {
                        throw new WeComException(
                            WeComErrors.ExportEmpty,
                            blocks == 0
                                ? $"The {planned.Name} export (job {job.JobId}) is done, but WeCom listed no block for it."
                                : $"The {planned.Name} export (job {job.JobId}) is done, but its {blocks} block(s) hold no record.");
                    }

                    Interlocked.Increment(ref exportsDone);
                    SnapshotProgress received = About(SnapshotStage.Received, job.JobId);
                    received.Records = records;
                    Report(received);
                }
                finally
                {
                    // Reported before the slot is released: with one receive at a time, the next starts only after the report.
                    receiveSlots.Release();
                }

                return new SnapshotExport(planned.Kind, job.JobId, planned.TagId, tagName, blocks, records, files);
            }

            /// <summary>The department export's departments, once it is received; the snapshot's cancellation (a failed export) ends the wait.</summary>
            private async Task<DepartmentDirectory> DepartmentsReadAsync(CancellationToken ct)
            {
                // The member export is the only one that waits, so its cancellation may end the wait for all.
                using (ct.Register(() => departmentsRead.TrySetCanceled()))
                {
                    return await departmentsRead.Task.ConfigureAwait(false);
                }
            }
        }
    }
}
