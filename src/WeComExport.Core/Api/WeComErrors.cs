using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using WeComExport.Export;

namespace WeComExport.Api
{
    /// <summary>One ErrorId: what kind of failure it is (the cmdlets map the kind to an ErrorCategory) and what the user should do.</summary>
    public sealed class WeComErrorDefinition
    {
        internal WeComErrorDefinition(string errorId, WeComErrorKind kind, string recommendedAction, WeComRecovery recovery = WeComRecovery.None)
        {
            ErrorId = errorId;
            Kind = kind;
            RecommendedAction = recommendedAction;
            Recovery = recovery;
        }

        /// <summary>The stable id users filter on (<c>$_.FullyQualifiedErrorId</c>).</summary>
        public string ErrorId { get; }

        public WeComErrorKind Kind { get; }

        /// <summary>What to do next; the one place that may name cmdlets and parameters.</summary>
        public string RecommendedAction { get; }

        /// <summary>What the client itself does about it first (<see cref="RetryPolicy"/> reads it): fail, retry with backoff, or refresh the token.</summary>
        public WeComRecovery Recovery { get; }

        public override string ToString() => ErrorId;
    }

    /// <summary>
    /// The error catalogue: every ErrorId the module reports, with its kind and recommended action.
    /// The engine throws with these entries and the cmdlets build error records from them, so an id
    /// cannot mean two things. WeCom's own errcodes (<c>WeCom.&lt;errcode&gt;</c>) come from
    /// <see cref="WeComErrorCodes"/>, and the callback library's codes (<c>WeCom.-400xx</c>) are listed here.
    /// </summary>
    public static class WeComErrors
    {
        private static readonly List<WeComErrorDefinition> Named = new();

        // --- Talking to WeCom ---
        public static readonly WeComErrorDefinition NotConnected = Define("WeComNotConnected", WeComErrorKind.NotConnected, "Run Connect-WeCom first, or pass -Session.");
        public static readonly WeComErrorDefinition SessionDisconnected = Define("WeComSessionDisconnected", WeComErrorKind.NotConnected, "Run Connect-WeCom again for this corp, or pass a connected -Session.");
        public static readonly WeComErrorDefinition SessionNotFound = Define("WeComSessionNotFound", WeComErrorKind.NotFound, "Press Tab after Get-WeComSession -Id to list the connected sessions, or connect again with Connect-WeCom.");
        public static readonly WeComErrorDefinition SessionCorpMismatch = Define("WeComSessionCorpMismatch", WeComErrorKind.InvalidArgument, "Connect to the job's corp (Connect-WeCom), or pass -Session with a session of that corp.");
        public static readonly WeComErrorDefinition InvalidApiBaseUri = Define("WeComInvalidApiBaseUri", WeComErrorKind.InvalidArgument, "Use https://, or http:// with 127.0.0.1 or localhost for the local emulator, without user name or password.");
        public static readonly WeComErrorDefinition InvalidProxy = Define("WeComInvalidProxy", WeComErrorKind.InvalidArgument, "Pass -Proxy as http://host:port or https://host:port without user name or password, and the proxy's user name and password as -ProxyCredential (which needs -Proxy).");
        public static readonly WeComErrorDefinition EnvironmentIncomplete = Define("WeComEnvironmentIncomplete", WeComErrorKind.InvalidArgument, "Set WECOM_CORP_ID and WECOM_CORP_SECRET (and optionally WECOM_API_BASE_URI), or use -CorpId/-Secret or -Credential.");
        public static readonly WeComErrorDefinition HttpError = Define("WeComHttpError", WeComErrorKind.Connection, "Check the network path to WeCom (proxy, firewall, DNS); the call was already retried with backoff. Try again in a few minutes.", WeComRecovery.RetryWithBackoff);
        public static readonly WeComErrorDefinition InvalidAnswer = Define("WeComInvalidAnswer", WeComErrorKind.InvalidData, "The server did not answer as WeCom's API documents. Check -ApiBaseUri (https://qyapi.weixin.qq.com) and any proxy in between; if it persists, report the message.");
        public static readonly WeComErrorDefinition TagNotFound = Define("WeComTagNotFound", WeComErrorKind.NotFound, "List the tags the app can read with Get-WeComTag, or use a wildcard (-Name 'Sales*') to accept no match.");

        // --- Export jobs ---
        public static readonly WeComErrorDefinition ExportNotReady = Define("WeComExportNotReady", WeComErrorKind.ResourceUnavailable, "Pipe the job through Wait-WeComExport first, or try again when Get-WeComExportResult shows Done.");
        public static readonly WeComErrorDefinition ExportFailed = Define("WeComExportFailed", WeComErrorKind.OperationFailed, "Start the export again; if it keeps failing, check the app's visible range and WeCom's status page.");
        public static readonly WeComErrorDefinition ExportEmpty = Define("WeComExportEmpty", WeComErrorKind.InvalidData, "WeCom finished the member export, but it holds no member (no block, or blocks with empty lists); no snapshot is written, and the one at the target stays. Run the command again later; if the export stays empty, check the app's visible range in the WeCom admin console.");
        public static readonly WeComErrorDefinition ExportTimeout = Define("WeComExportTimeout", WeComErrorKind.Timeout, "Wait longer (-Timeout), or check later with Get-WeComExportResult: the job keeps running on WeCom's side.");
        public static readonly WeComErrorDefinition EncodingAesKeyRequired = Define("WeComEncodingAesKeyRequired", WeComErrorKind.InvalidArgument, "Pass -EncodingAesKey with the key the export was started with, or pipe the job object from Start-WeCom*Export or Wait-WeComExport.");
        public static readonly WeComErrorDefinition InvalidEncodingAesKey = Define("WeComInvalidEncodingAesKey", WeComErrorKind.InvalidArgument, "Pass the 43-character key (a-z, A-Z, 0-9) the export was started with, or omit it when starting to have one generated (New-WeComEncodingAesKey makes one).");

        // --- Blocks ---
        public static readonly WeComErrorDefinition BlockIntegrityFailed = Define("WeComBlockIntegrityFailed", WeComErrorKind.InvalidData, "The block stayed damaged after every retry: run the same command again later (Receive-WeComExport and Export-WeComDirectory fetch fresh download URLs each time).", WeComRecovery.RetryWithBackoff);
        public static readonly WeComErrorDefinition DownloadRefused = Define("WeComDownloadRefused", WeComErrorKind.PermissionDenied, "WeCom's download server kept refusing the block's links, even fresh ones from get_result: the job's files may be gone. Start the export again and receive the new job; if that is refused too, check that nothing between this machine and WeCom rewrites its download links.");
        public static readonly WeComErrorDefinition DecryptFailed = Define("WeComDecryptFailed", WeComErrorKind.InvalidData, "Check that -EncodingAesKey is the key the export was started with.");
        public static readonly WeComErrorDefinition ExportKindMismatch = Define("WeComExportKindMismatch", WeComErrorKind.InvalidData, "The job is of another export kind than it was received as: pass the -ExportKind it was started with, or leave -ExportKind out to have the kind read from the blocks.");
        public static readonly WeComErrorDefinition InvalidBlockData = Define("WeComInvalidBlockData", WeComErrorKind.InvalidData, "The block decrypted but its JSON is not what this export produces: the message names the byte and the problem. A block as WeCom sent it (its size and MD5 matched) is for WeCom to mend: report the job to WeCom.");
        public static readonly WeComErrorDefinition DownloadProtocolViolation = Define("WeComDownloadProtocolViolation", WeComErrorKind.InvalidData, "The download server (or a proxy on the way) did not keep to the export API's download protocol (more bytes than announced, another length or range, a compressed body). Run Receive-WeComExport again later; if it persists, check for a proxy that alters downloads.");
        public static readonly WeComErrorDefinition SpoolWriteFailed = Define("WeComSpoolWriteFailed", WeComErrorKind.LocalWrite, $"Free space in the temp folder, or choose one with room for one block (up to about 1 GB; about 2.5 GB for a block served as Base64): -TempDirectory, then {ReceiveOptions.TempDirectoryVariable}, then {ReceiveOptions.SystemTempVariables}.");
        public static readonly WeComErrorDefinition InvalidOutputDirectory = Define("WeComInvalidOutputDirectory", WeComErrorKind.InvalidArgument, "Pass a folder on the file system, such as ./blocks or a full path; it is created if missing.");
        public static readonly WeComErrorDefinition InvalidTempDirectory = Define("WeComInvalidTempDirectory", WeComErrorKind.InvalidArgument, "Pass an existing folder on the file system for -TempDirectory, or leave it out to use WECOM_TEMP_DIRECTORY or the system temp folder.");
        public static readonly WeComErrorDefinition TempDirectoryNotFound = Define("WeComTempDirectoryNotFound", WeComErrorKind.InvalidArgument, $"Create the folder, or choose an existing one: -TempDirectory, then {ReceiveOptions.TempDirectoryVariable}, then {ReceiveOptions.SystemTempVariables}.");

        // --- Snapshots ---
        public static readonly WeComErrorDefinition InvalidSnapshotPath = Define("WeComInvalidSnapshotPath", WeComErrorKind.InvalidArgument, "Pass a folder on the file system for -Path, such as ./contacts or a full path (not a drive root); its parent is created if missing.");
        public static readonly WeComErrorDefinition SnapshotPathInUse = Define("WeComSnapshotPathInUse", WeComErrorKind.ResourceExists, "Choose a new or empty folder for -Path, or a previous snapshot folder (one with its snapshot manifest.json). Add -Force only if the folder's contents may be deleted: they are replaced by the snapshot.");
        public static readonly WeComErrorDefinition CsvTooManyColumns = Define("WeComCsvTooManyColumns", WeComErrorKind.LimitExceeded, "The members carry more distinct extended-attribute names than members.csv gives columns to: write the snapshot without -Format Csv and read its block files (or Receive-WeComExport's records) instead.");
        // --- Snapshots: reading them back and comparing them ---
        public static readonly WeComErrorDefinition InvalidPath = Define("WeComInvalidPath", WeComErrorKind.InvalidArgument, "Pass a file-system path of a snapshot folder or of block files, such as ./snapshot, ./blocks/*.json or a full path.");
        public static readonly WeComErrorDefinition PathNotFound = Define("WeComPathNotFound", WeComErrorKind.NotFound, "Check the path: it must name an existing snapshot folder (with manifest.json), a folder of block files (*.blockNNNN.json) or block files; a wildcard must match at least one.");
        public static readonly WeComErrorDefinition InvalidSnapshotManifest = Define("WeComInvalidSnapshotManifest", WeComErrorKind.InvalidData, "The snapshot's manifest.json is damaged or not a WeComExport snapshot manifest: restore it from a backup, or take the snapshot again (Export-WeComDirectory).");
        public static readonly WeComErrorDefinition SnapshotFileChanged = Define("WeComSnapshotFileChanged", WeComErrorKind.InvalidData, "The file is not the one the snapshot was written with (its size or SHA-256 differs from manifest.json), so none of its records were read: restore it from a backup, or take the snapshot again (Export-WeComDirectory).");
        public static readonly WeComErrorDefinition SnapshotFileMissing = Define("WeComSnapshotFileMissing", WeComErrorKind.NotFound, "A file that manifest.json lists is not in the snapshot folder: restore it from a backup, or take the snapshot again (Export-WeComDirectory).");
        public static readonly WeComErrorDefinition SnapshotJsonRequired = Define("WeComSnapshotJsonRequired", WeComErrorKind.InvalidType, "This snapshot holds CSV files only, and Import-WeComExport and Compare-WeComExport read JSON block files: take the snapshot again with JSON block files, or read its CSV files with Import-Csv.");
        public static readonly WeComErrorDefinition InvalidBlockFile = Define("WeComInvalidBlockFile", WeComErrorKind.InvalidData, "The file is not an export block as WeCom sends it ({\"userlist\":[...]}, {\"department\":[...]}, {\"tagname\":...}): pass snapshot folders, or block files written by Receive-WeComExport -OutputDirectory or Export-WeComDirectory.");
        public static readonly WeComErrorDefinition ReadFailed = Define("WeComReadFailed", WeComErrorKind.LocalRead, "Check that the file is there and that you may read it. On Linux and macOS block files are the owner's only (0600): read them as the user who wrote them.");
        public static readonly WeComErrorDefinition DuplicateRecord = Define("WeComDuplicateRecord", WeComErrorKind.InvalidData, "One side of the comparison holds the same record twice (the same snapshot or block file given twice?): give each export once. The first record of that id was compared.");

        // --- Callbacks ---
        public static readonly WeComErrorDefinition CallbackTokenEmpty = Define("WeComCallbackTokenEmpty", WeComErrorKind.InvalidArgument, "Pass the Token from the app's 'receive messages' settings.");
        public static readonly WeComErrorDefinition NotificationTooLarge = Define("WeComNotificationTooLarge", WeComErrorKind.LimitExceeded, "Pass one callback body at a time; WeCom's callbacks are far smaller than the limit.");
        public static readonly WeComErrorDefinition NotificationEncrypted = Define("WeComNotificationEncrypted", WeComErrorKind.InvalidArgument, "Add -MsgSignature, -Timestamp and -Nonce from the request's query string, and -Token and -EncodingAesKey from the app's callback settings.");
        public static readonly WeComErrorDefinition NotificationNotBatchJobResult = Define("WeComNotificationNotBatchJobResult", WeComErrorKind.InvalidType, "Filter other events out before this cmdlet, or add -IncludeOtherEvent to pass them through.");
        public static readonly WeComErrorDefinition NotificationInvalidJobId = Define("WeComNotificationInvalidJobId", WeComErrorKind.InvalidData, "The notification's JobId is not a WeCom job id (1 to 64 of letters, digits and _-=.): the notification did not come from WeCom or was altered; do not act on it.");
        public static readonly WeComErrorDefinition CallbackSignatureInvalid = Define("WeCom.-40001", WeComErrorKind.Security, "Pass msg_signature, timestamp and nonce exactly as received, and the callback Token from the app's 'receive messages' settings. A request that still fails did not come from WeCom: do not act on it.");
        public static readonly WeComErrorDefinition CallbackXmlInvalid = Define("WeCom.-40002", WeComErrorKind.InvalidData, "Pass the raw request body as WeCom sent it (<xml>...</xml>).");
        public static readonly WeComErrorDefinition CallbackKeyInvalid = Define("WeCom.-40004", WeComErrorKind.InvalidArgument, "Pass the app's callback EncodingAESKey: 43 characters of a-z, A-Z and 0-9.");
        public static readonly WeComErrorDefinition CallbackReceiverMismatch = Define("WeCom.-40005", WeComErrorKind.Security, "Check -CorpId: it must be the CorpID of an internal app's corp, or the SuiteID for a third-party suite's callbacks.");
        public static readonly WeComErrorDefinition CallbackDecryptFailed = Define("WeCom.-40007", WeComErrorKind.InvalidData, "Check that -EncodingAesKey is this app's callback EncodingAESKey (not an export key) and that the body reached you unchanged.");
        public static readonly WeComErrorDefinition CallbackFramingInvalid = Define("WeCom.-40008", WeComErrorKind.InvalidData, "Check that -EncodingAesKey is this app's callback EncodingAESKey (not an export key) and that the body reached you unchanged.");
        public static readonly WeComErrorDefinition CallbackBase64Invalid = Define("WeCom.-40010", WeComErrorKind.InvalidData, "Check that -EncodingAesKey is this app's callback EncodingAESKey (not an export key) and that the body reached you unchanged.");

        // --- Anything else that reached a cmdlet ---
        public static readonly WeComErrorDefinition InvalidArgument = Define("WeComInvalidArgument", WeComErrorKind.InvalidArgument, "Check the parameter the message names.");
        public static readonly WeComErrorDefinition AccessDenied = Define("WeComAccessDenied", WeComErrorKind.PermissionDenied, "Check that you may write to the folder or file the message names.");
        public static readonly WeComErrorDefinition IOError = Define("WeComIOError", WeComErrorKind.LocalWrite, "Check the disk and the path the message names, then run the command again.");
        public static readonly WeComErrorDefinition UnexpectedError = Define("WeComUnexpectedError", WeComErrorKind.Unknown, "This is a bug in WeComExport: please report the message and the command that caused it.");

        /// <summary>Every named ErrorId, then every WeCom errcode the client treats specially.</summary>
        public static IReadOnlyList<WeComErrorDefinition> All =>
            Named.Concat(WeComErrorCodes.Known.Select(info => ForErrCode(info.Code))).ToList();

        /// <summary>The entry of WeCom errcode <paramref name="code"/>: <c>WeCom.&lt;code&gt;</c>, described by <see cref="WeComErrorCodes"/>.</summary>
        public static WeComErrorDefinition ForErrCode(int code)
        {
            WeComErrorInfo info = WeComErrorCodes.Describe(code);
            return new WeComErrorDefinition(ErrCodeId(code), info.Kind, info.Hint, info.Recovery);
        }

        /// <summary>The entry of a callback library code (-40001 ...), or <see cref="CallbackDecryptFailed"/>'s advice for one not listed.</summary>
        public static WeComErrorDefinition ForCallbackCode(int code) =>
            Named.FirstOrDefault(d => d.ErrorId == ErrCodeId(code))
            ?? new WeComErrorDefinition(ErrCodeId(code), WeComErrorKind.InvalidData, CallbackDecryptFailed.RecommendedAction);

        /// <summary>The entry with this id; <c>WeCom.&lt;number&gt;</c> ids are WeCom errcodes. Null when the id is not in the catalogue.</summary>
        public static WeComErrorDefinition? Find(string errorId)
        {
            WeComErrorDefinition? named = Named.FirstOrDefault(d => d.ErrorId == errorId);
            if (named is not null)
            {
                return named;
            }

            return errorId is not null && errorId.StartsWith("WeCom.", StringComparison.Ordinal)
                && int.TryParse(errorId.Substring(6), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code)
                ? ForErrCode(code)
                : null;
        }

        private static string ErrCodeId(int code) => "WeCom." + code.ToString(CultureInfo.InvariantCulture);

        private static WeComErrorDefinition Define(string errorId, WeComErrorKind kind, string recommendedAction, WeComRecovery recovery = WeComRecovery.None)
        {
            var definition = new WeComErrorDefinition(errorId, kind, recommendedAction, recovery);
            Named.Add(definition);
            return definition;
        }
    }
}
