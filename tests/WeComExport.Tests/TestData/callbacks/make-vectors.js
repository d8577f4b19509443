// Known-answer vectors for WeCom callback crypto, made with Node's own crypto module (not the
// project's C# code), so one bug cannot hide in both the module and its emulator.
// Run: node make-vectors.js > vectors.json   (deterministic: fixed random prefixes, no RNG).
// When the openssl CLI is present, every ciphertext is also decrypted with it as a second check.
'use strict';
const crypto = require('crypto');
const { execFileSync } = require('child_process');

// WeCom's public WXBizMsgCrypt sample values (not secrets of any real app).
const encodingAesKey = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const token = 'QDG6eK';
const corpId = 'wx5823bf96d3bd56c7';
const suiteId = 'ww543f52cb62809e5a';
const key = Buffer.from(encodingAesKey + '=', 'base64');
const iv = key.subarray(0, 16);
if (key.length !== 32) throw new Error('key must decode to 32 bytes');

const prefix = (n) => Buffer.from(crypto.createHash('sha256').update('prefix-' + n).digest().subarray(0, 16));

function sign(tok, timestamp, nonce, encrypt) {
  const parts = [tok, timestamp, nonce, encrypt].sort();
  return crypto.createHash('sha1').update(parts.join(''), 'utf8').digest('hex');
}

function pad32(buf) {
  const n = 32 - (buf.length % 32);
  return { padded: Buffer.concat([buf, Buffer.alloc(n, n)]), n };
}

function aesNoPad(buf) {
  const c = crypto.createCipheriv('aes-256-cbc', key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(buf), c.final()]);
}

function frame(rnd, msg, rid, lengthOverride) {
  const m = Buffer.from(msg, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(lengthOverride === undefined ? m.length : lengthOverride, 0);
  return Buffer.concat([rnd, len, m, Buffer.from(rid, 'utf8')]);
}

function opensslCheck(cipher, expectedPadded) {
  try {
    const out = execFileSync('openssl', ['enc', '-d', '-aes-256-cbc', '-nopad', '-K', key.toString('hex'), '-iv', iv.toString('hex')], { input: cipher });
    if (!out.equals(expectedPadded)) throw new Error('openssl disagrees with node');
    return true;
  } catch (e) {
    if (e.code === 'ENOENT') return false;
    throw e;
  }
}

let opensslChecked = 0;
function encryptFramed(plain) {
  const { padded, n } = pad32(plain);
  const cipher = aesNoPad(padded);
  if (opensslCheck(cipher, padded)) opensslChecked++;
  return { encrypt: cipher.toString('base64'), padLength: n };
}

function eventXml(jobId, jobType, errCode, errMsg, createTime) {
  return '<xml><ToUserName><![CDATA[' + corpId + ']]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>'
    + '<CreateTime>' + createTime + '</CreateTime><MsgType><![CDATA[event]]></MsgType>'
    + '<Event><![CDATA[batch_job_result]]></Event><BatchJob><JobId><![CDATA[' + jobId + ']]></JobId>'
    + '<JobType><![CDATA[' + jobType + ']]></JobType><ErrCode>' + errCode + '</ErrCode><ErrMsg><![CDATA[' + errMsg + ']]></ErrMsg></BatchJob></xml>';
}

function suiteXml(jobId, jobType, timeStamp) {
  return '<xml><SuiteId><![CDATA[' + suiteId + ']]></SuiteId><InfoType><![CDATA[batch_job_result]]></InfoType>'
    + '<TimeStamp>' + timeStamp + '</TimeStamp><BatchJob><JobId><![CDATA[' + jobId + ']]></JobId>'
    + '<JobType><![CDATA[' + jobType + ']]></JobType><ErrCode>0</ErrCode><ErrMsg><![CDATA[ok]]></ErrMsg></BatchJob></xml>';
}

// Grows the JobId until random(16) + length(4) + msg + receiveid needs exactly `wantPad` pad bytes.
function withPad(wantPad, rid, make) {
  for (let extra = 0; extra < 64; extra++) {
    const jobId = 'jobid_S0MrnndvRG5fadSlLwiBqiDD' + 'x'.repeat(extra);
    const xml = make(jobId);
    const total = 20 + Buffer.byteLength(xml, 'utf8') + Buffer.byteLength(rid, 'utf8');
    if (32 - (total % 32) === wantPad) return { jobId, xml };
  }
  throw new Error('no JobId length gives pad ' + wantPad);
}

function envelopeBody(toUser, encrypt) {
  return '<xml><ToUserName><![CDATA[' + toUser + ']]></ToUserName><Encrypt><![CDATA[' + encrypt + ']]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>';
}

function message(name, n, rid, xml, fields, timestamp, nonce) {
  const rnd = prefix(n);
  const { encrypt, padLength } = encryptFramed(frame(rnd, xml, rid));
  return {
    name, randomPrefixHex: rnd.toString('hex'), receiveId: rid, plaintextXml: xml,
    messageByteLength: Buffer.byteLength(xml, 'utf8'), padLength,
    timestamp, nonce, encrypt, msgSignature: sign(token, timestamp, nonce, encrypt),
    body: envelopeBody(rid, encrypt), expected: fields,
  };
}

const messages = [];
{
  const { jobId, xml } = withPad(32, corpId, (j) => eventXml(j, 'export_user', 0, 'ok', 1425284517));
  messages.push(message('export_user pad 32', 1, corpId, xml,
    { CorpId: corpId, JobId: jobId, JobType: 'export_user', Kind: 'User', ExportKind: 'User', ErrCode: 0, ErrMsg: 'ok', CreateTimeUnix: 1425284517 },
    '1409304348', 'xxxxxx'));
}
{
  const { jobId, xml } = withPad(5, corpId, (j) => eventXml(j, 'export_tag', 0, '成功 ok', 1700000000));
  messages.push(message('export_tag pad 5 with UTF-8 ErrMsg', 2, corpId, xml,
    { CorpId: corpId, JobId: jobId, JobType: 'export_tag', Kind: 'TagUser', ExportKind: 'TagUser', ErrCode: 0, ErrMsg: '成功 ok', CreateTimeUnix: 1700000000 },
    '1700000001', '1372623149'));
}
{
  const xml = eventXml('jobid_failed0001', 'export_department', 60011, 'no privilege to access/modify contact/party/agent', 1700000100);
  messages.push(message('export_department failed', 3, corpId, xml,
    { CorpId: corpId, JobId: 'jobid_failed0001', JobType: 'export_department', Kind: 'Department', ExportKind: 'Department', ErrCode: 60011, ErrMsg: 'no privilege to access/modify contact/party/agent', CreateTimeUnix: 1700000100 },
    '1700000101', 'n0nce'));
}
{
  const xml = suiteXml('jobid_FTR983N1FNGMsoZKXogNzmLwS8cwu150GTufJB', 'export_taguser', 1628653600);
  messages.push(message('suite export_taguser', 4, suiteId, xml,
    { CorpId: null, SuiteId: suiteId, JobId: 'jobid_FTR983N1FNGMsoZKXogNzmLwS8cwu150GTufJB', JobType: 'export_taguser', Kind: 'TagUser', ExportKind: 'TagUser', ErrCode: 0, ErrMsg: 'ok', TimeStampUnix: 1628653600 },
    '1628653601', 'suitenonce'));
}
{
  const xml = eventXml('S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4', 'sync_user', 0, 'ok', 1425284517).replace('[sys]', '[lisi]');
  messages.push(message('import sync_user', 5, corpId, xml,
    { CorpId: corpId, JobId: 'S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4', JobType: 'sync_user', Kind: 'SyncUser', ExportKind: null, ErrCode: 0, ErrMsg: 'ok', CreateTimeUnix: 1425284517 },
    '1425284518', 'importnonce'));
}

const signatures = [
  { token, timestamp: '1409304348', nonce: 'xxxxxx', encrypt: 'AAAA', signature: sign(token, '1409304348', 'xxxxxx', 'AAAA') },
  { token: 'zToken', timestamp: '1', nonce: 'Abc', encrypt: 'abc', signature: sign('zToken', '1', 'Abc', 'abc') },
  { token: '令牌', timestamp: '1700000000', nonce: '随机', encrypt: messages[0].encrypt, signature: sign('令牌', '1700000000', '随机', messages[0].encrypt) },
];

const echo = '1616140317555161061';
const echoEncrypted = encryptFramed(frame(prefix(9), echo, corpId));
const urlVerification = {
  timestamp: '1409659589', nonce: '263014780', echostr: echoEncrypted.encrypt,
  msgSignature: sign(token, '1409659589', '263014780', echoEncrypted.encrypt),
  receiveId: corpId, expectedEcho: echo, padLength: echoEncrypted.padLength,
};

// Each bad input is signed correctly (unless the signature is the fault), so the fault under test is reached.
function signedBad(name, encrypt, expectedError, extra) {
  const timestamp = '1700009999', nonce = 'badnonce';
  return Object.assign({ name, timestamp, nonce, msgSignature: sign(token, timestamp, nonce, encrypt), body: envelopeBody(corpId, encrypt), expectedError }, extra || {});
}
const good = messages[0];
const rawCipher = (buf) => aesNoPad(buf).toString('base64');
const badInputs = [
  Object.assign(signedBad('wrong signature', good.encrypt, 'WeCom.-40001'), { msgSignature: sign('notTheToken', '1700009999', 'badnonce', good.encrypt) }),
  signedBad('bad Base64', 'this is not base64!!', 'WeCom.-40010'),
  signedBad('ciphertext not a multiple of 16', Buffer.alloc(20, 7).toString('base64'), 'WeCom.-40007'),
  signedBad('pad byte 0', rawCipher(Buffer.concat([frame(prefix(11), 'x', corpId), Buffer.alloc(64 - 20 - 1 - corpId.length, 0)])), 'WeCom.-40007'),
  signedBad('pad byte 33', rawCipher(Buffer.concat([frame(prefix(12), 'x', corpId), Buffer.alloc(64 - 20 - 1 - corpId.length, 33)])), 'WeCom.-40007'),
  signedBad('inconsistent pad bytes', rawCipher((() => { const p = pad32(frame(prefix(13), 'hello', corpId)).padded; if (p[p.length - 1] < 2) throw new Error('need pad >= 2'); p[p.length - 2] ^= 0xff; return p; })()), 'WeCom.-40007'),
  signedBad('length field past the data', encryptFramed(frame(prefix(14), '<xml/>', corpId, 100000)).encrypt, 'WeCom.-40008'),
  signedBad('too short for a length field', encryptFramed(prefix(15)).encrypt, 'WeCom.-40008'),
  signedBad('receiveid of another corp', encryptFramed(frame(prefix(16), good.plaintextXml, 'wxOTHERCORP000000')).encrypt, 'WeCom.-40005'),
  signedBad('decrypted message is not XML', encryptFramed(frame(prefix(17), 'not xml at all', corpId)).encrypt, 'WeCom.-40002'),
  signedBad('decrypted event is not batch_job_result', encryptFramed(frame(prefix(18),
    '<xml><ToUserName><![CDATA[' + corpId + ']]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event><ChangeType><![CDATA[delete_user]]></ChangeType><UserID><![CDATA[zhangsan]]></UserID></xml>',
    corpId)).encrypt, 'WeComNotificationNotBatchJobResult'),
];

process.stdout.write(JSON.stringify({
  generator: 'make-vectors.js (Node ' + process.version + ' crypto' + (opensslChecked ? '; every ciphertext also decrypted by the openssl CLI' : '') + ')',
  encodingAesKey, token, corpId, suiteId,
  keyHex: key.toString('hex'), ivHex: iv.toString('hex'),
  signatures, messages, urlVerification, badInputs,
}, null, 2) + '\n');
