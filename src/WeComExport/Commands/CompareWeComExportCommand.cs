using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Internal;
using WeComExport.Records;
using WeComExport.Snapshots;

namespace WeComExport.Commands
{
    /// <summary>
    /// Compare-WeComExport: the differences between two exports of a directory, one change object per record
    /// that was added, removed or changed. Snapshots are read, never held: pass 1 keeps a 128-bit hash of each
    /// reference record's id and content, pass 2 reads the difference (written records and piped ones alike)
    /// once, pass 3 reads the reference again for the Changed and Removed records only (docs/design.md).
    /// </summary>
    [Cmdlet(VerbsData.Compare, "WeComExport", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(WeComDirectoryChange))]
    public sealed class CompareWeComExportCommand : WeComCmdlet
    {
        private const string PathSet = "Path";
        private const string PathObjectSet = "PathObject";
        private const string ObjectPathSet = "ObjectPath";
        private const string ObjectSet = "Object";

        private DirectoryComparer? comparer;
        // One reader per side: a reader's warnings about loose exports (two of one kind) are about one side.
        private SnapshotReader? referenceReader;
        private SnapshotReader? differenceReader;
        private IReadOnlyList<string> referencePaths = Array.Empty<string>();
        private IReadOnlyList<string> differencePaths = Array.Empty<string>();
        private string? failedPath;

        /// <summary>The earlier export: snapshot folders, folders of block files, or block files (wildcards allowed).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathObjectSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] ReferencePath { get; set; } = Array.Empty<string>();

        /// <summary>The later export, as -ReferencePath.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet)]
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ObjectPathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] DifferencePath { get; set; } = Array.Empty<string>();

        /// <summary>The earlier export as records (from Receive-WeComExport or Import-WeComExport); held in memory by the caller.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ObjectPathSet)]
        [Parameter(Mandatory = true, ParameterSetName = ObjectSet)]
        [AllowEmptyCollection]
        public WeComRecord[] ReferenceObject { get; set; } = Array.Empty<WeComRecord>();

        /// <summary>The later export as records, also from the pipeline (read once, as they come; only changed ones are kept).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PathObjectSet)]
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
        [AllowEmptyCollection]
        public WeComRecord[] DifferenceObject { get; set; } = Array.Empty<WeComRecord>();

        /// <summary>Compare only this kind of record (User covers members and member details).</summary>
        [Parameter]
        public WeComRecordKind? Kind { get; set; }

        /// <summary>Also write an Equal change for every record that is the same on both sides.</summary>
        [Parameter]
        public SwitchParameter IncludeEqual { get; set; }

        private bool ReferenceIsPath => ParameterSetName is PathSet or PathObjectSet;

        private bool DifferenceIsPath => ParameterSetName is PathSet or ObjectPathSet;

        protected override void BeginProcessing()
        {
            SnapshotReader reader = referenceReader = new SnapshotReader(Kind);
            differenceReader = new SnapshotReader(Kind);
            // Both sides' paths are checked before anything is read, so a typo fails at once.
            referencePaths = ReferenceIsPath ? ResolveAll(nameof(ReferencePath), ReferencePath) : Array.Empty<string>();
            differencePaths = DifferenceIsPath ? ResolveAll(nameof(DifferencePath), DifferencePath) : Array.Empty<string>();

            long expected = 0;
            foreach (string path in referencePaths)
            {
                expected += reader.ListedRecordCount(path);
            }

            // Without -Kind, a kind only one side holds is not compared but warned about: a department export piped
            // against a whole snapshot must not read as every member removed.
            comparer = new DirectoryComparer(Kind, IncludeEqual, Duplicate, (int)Math.Min(expected, int.MaxValue), sharedKindsOnly: true);
            DirectoryComparer index = comparer;

            Run(ct =>
            {
                long count = 0;
                foreach (WeComRecord record in Reference((kind, tagId) => index.DeclareReferenceKind(kind, tagId), ct))
                {
                    index.AddReference(record);
                    count++;
                }

                Verbose(string.Format(CultureInfo.InvariantCulture, "Reference: {0:N0} records read and hashed.", count));
            });
        }

        protected override void ProcessRecord()
        {
            DirectoryComparer compare = comparer!;
            WeComRecord[] given = DifferenceObject;
            Run(ct =>
            {
                ItemBatch<WeComDirectoryChange> batch = NewOutputBatch<WeComDirectoryChange>();
                foreach (WeComRecord record in DifferenceIsPath ? ReadAll(differencePaths, differenceReader!, (kind, tagId) => compare.DeclareDifferenceKind(kind, tagId), ct) : given)
                {
                    if (record is null)
                    {
                        continue;
                    }

                    WeComDirectoryChange? change = compare.AddDifference(record);
                    if (change is not null)
                    {
                        batch.Add(change);
                    }
                }

                batch.Flush();
            });
        }

        protected override void EndProcessing()
        {
            DirectoryComparer compare = comparer!;
            compare.CompleteDifference();
            WarnIfMembersAndDetails(compare);
            WarnIfOtherCorps(compare);
            foreach (OneSidedKind one in compare.OneSidedKinds)
            {
                WriteWarning(string.Format(
                    CultureInfo.InvariantCulture,
                    "The {0} holds {1} records{5} ({2:N0}) and the {3} none, so they were not compared: were exports of different kinds or tags compared? To compare them anyway (each one {4}), pass -Kind {1}.",
                    one.InReference ? "reference" : "difference",
                    one.Kind,
                    one.Records,
                    one.InReference ? "difference" : "reference",
                    one.InReference ? "Removed" : "Added",
                    one.TagId is long tag ? string.Format(CultureInfo.InvariantCulture, " of tag {0}", tag) : string.Empty));
            }

            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "{0:N0} changed or removed records to read again from the reference.", compare.Pending));
            Run(ct =>
            {
                ItemBatch<WeComDirectoryChange> batch = NewOutputBatch<WeComDirectoryChange>();
                if (compare.Pending > 0)
                {
                    foreach (WeComRecord record in Reference(null, ct))
                    {
                        WeComDirectoryChange? change = compare.Revisit(record);
                        if (change is not null)
                        {
                            batch.Add(change);
                        }

                        if (compare.Pending == 0)
                        {
                            break;
                        }
                    }
                }

                batch.Flush();
                compare.Complete();
            });
        }

        /// <summary>The reference's records; <paramref name="opened"/> is told what each path holds (the first pass declares it).</summary>
        private IEnumerable<WeComRecord> Reference(Action<WeComRecordKind, long?>? opened, CancellationToken ct) => ReferenceIsPath ? ReadAll(referencePaths, referenceReader!, opened, ct) : ReferenceObject;

        /// <summary>The records of snapshot paths; any problem ends the comparison (a side read in part would show its missing records as changes).</summary>
        private IEnumerable<WeComRecord> ReadAll(IReadOnlyList<string> paths, SnapshotReader reader, Action<WeComRecordKind, long?>? opened, CancellationToken ct)
        {
            foreach (string path in paths)
            {
                foreach (WeComRecord record in reader.Read(path, Fail, opened, ct))
                {
                    yield return record;
                }
            }
        }

        private void Fail(string path, WeComException problem)
        {
            failedPath = path;
            throw problem;
        }

        /// <summary>Runs one pass on the engine thread; its failure ends the command with the engine's error.</summary>
        private void Run(Action<CancellationToken> pass)
        {
            try
            {
                RunEngine(ct =>
                {
                    pass(ct);
                    return Task.CompletedTask;
                });
            }
            catch (EngineCallException e)
            {
                ThrowTerminatingError(ErrorRecords.FromException(e, failedPath));
            }
        }

        /// <summary>Members on one side and member details on the other (snapshots, files or piped records) show every detail field as changed.</summary>
        private void WarnIfMembersAndDetails(DirectoryComparer compare)
        {
            (bool? reference, bool? difference) = compare.MembersAreDetails;
            if (reference is bool referenceDetails && difference is bool differenceDetails && referenceDetails != differenceDetails)
            {
                WriteWarning(string.Format(
                    CultureInfo.InvariantCulture,
                    "The reference holds {0} and the difference {1}: every field only member details have shows as changed. Compare exports taken alike (both -Detailed, or both without).",
                    referenceDetails ? "member details" : "members",
                    differenceDetails ? "member details" : "members"));
            }
        }

        /// <summary>Two corps' directories share no member: every one shows as removed and added.</summary>
        private void WarnIfOtherCorps(DirectoryComparer compare)
        {
            (string? reference, string? difference) = compare.CorpIds;
            if (reference is not null && difference is not null && !string.Equals(reference, difference, StringComparison.Ordinal))
            {
                WriteWarning($"The reference is of corp {reference} and the difference of corp {difference}: records of two corps are compared as if of one.");
            }

            (bool severalInReference, bool severalInDifference) = compare.SeveralCorps;
            foreach ((bool several, string side) in new[] { (severalInReference, "reference"), (severalInDifference, "difference") })
            {
                if (several)
                {
                    WriteWarning($"The {side} holds records of more than one corp: they are compared as if of one.");
                }
            }
        }

        private void Duplicate(WeComException problem) => Post(() => WriteError(ErrorRecords.FromException(problem, null)));

        /// <summary>A Verbose line from the engine thread.</summary>
        private void Verbose(string message) => Post(() => WriteVerbose(message));

        private List<string> ResolveAll(string parameter, string[] values)
        {
            var paths = new List<string>();
            foreach (string value in values)
            {
                paths.AddRange(SnapshotPaths.Resolve(this, parameter, value, literal: false, ThrowTerminatingError));
            }

            return SnapshotPaths.WithSnapshotsForManifests(this, paths);
        }
    }
}
