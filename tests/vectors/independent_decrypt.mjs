#!/usr/bin/env node
// An independent reader of solidcrypt formats, written from docs/FORMAT.md alone
// with Node's own crypto (no code shared with the Rust implementation). It checks
// every vector in this directory: valid file envelopes must decrypt to their
// plaintext, invalid ones must fail with the named error; RSA wraps must unwrap;
// the sealed identity key (§7.1) must open to the key its profile statements name;
// a file link (§5.1) must lead through its own keystore to the file's plaintext;
// a person-share offer and its proof (§8.3–8.5) must open from their Turtle to their
// JSON with the recipient's private key, the proof must be the challenge's hash, and
// the shares list (§8.2) must open under the root keystore's key.
// (Password wraps need Argon2id, which Node 20 lacks; the Rust tests cover them.)
//
// Usage: node tests/vectors/independent_decrypt.mjs   (exit status 0 = all agree)
import { constants, createDecipheriv, createHash, createPrivateKey, createPublicKey, hkdfSync, privateDecrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const HEADER_LEN = 78, TAG = 16;

class Fail extends Error {
  constructor(name, index) { super(name); this.name = name; this.index = index; }
}

function gcmOpen(key, nonce, sealed) {
  if (sealed.length < TAG) return null;
  const d = createDecipheriv('aes-256-gcm', key, nonce);
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - TAG)), d.final()]);
  } catch { return null; }
}

function chunkNonce(i, last) { // BE88(i) || flag
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(i), 3);
  n[11] = last ? 1 : 0;
  return n;
}

function parseRecords(buf) {
  const meta = {};
  let prev = -1, at = 0;
  while (at < buf.length) {
    const type = buf[at];
    if (type <= prev) throw new Fail('MalformedMetadata');
    prev = type;
    if (at + 3 > buf.length) throw new Fail('MalformedMetadata');
    const len = buf.readUInt16BE(at + 1);
    const value = buf.subarray(at + 3, at + 3 + len);
    if (value.length !== len) throw new Fail('MalformedMetadata');
    at += 3 + len;
    const text = () => new TextDecoder('utf-8', { fatal: true }).decode(value);
    if (type === 1) meta.name = text();
    else if (type === 2) meta.media_type = text();
    else if (type === 3) {
      if (len !== 8) throw new Fail('MalformedMetadata');
      meta.size = Number(value.readBigUInt64BE(0));
    }
  }
  return meta;
}

export function openEnvelope(fileKey, env) {
  if (env.length >= 4 && env.subarray(0, 4).toString('latin1') !== 'SLCF') throw new Fail('BadMagic');
  if (env.length < HEADER_LEN) throw new Fail('Truncated');
  if (env[4] !== 1) throw new Fail('UnsupportedVersion');
  if (env[5] !== 0) throw new Fail('InvalidHeader');
  const chunkSize = env.readUInt32BE(6), metaLen = env.readUInt32BE(10);
  if (chunkSize < 64 || chunkSize > 16777216) throw new Fail('InvalidHeader');
  if (metaLen !== 0 && (metaLen < 16 || metaLen > 65552)) throw new Fail('InvalidHeader');
  const salt = env.subarray(14, 46);
  const info = Buffer.concat([Buffer.from('solidcrypt file v1', 'ascii'), env.subarray(0, 46)]);
  const okm = Buffer.from(hkdfSync('sha256', fileKey, salt, info, 64));
  const payloadKey = okm.subarray(0, 32);
  if (!okm.subarray(32).equals(env.subarray(46, 78))) throw new Fail('KeyOrHeaderMismatch');
  let at = HEADER_LEN, metadata = null;
  if (metaLen > 0) {
    if (env.length < at + metaLen) throw new Fail('Truncated');
    const records = gcmOpen(payloadKey, Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]), env.subarray(at, at + metaLen));
    if (!records) throw new Fail('MetadataTampered');
    metadata = parseRecords(records);
    at += metaLen;
  }
  const rest = env.subarray(at), seg = chunkSize + TAG, parts = [];
  if (rest.length === 0) throw new Fail('Truncated');
  const count = Math.ceil(rest.length / seg);
  for (let i = 0; i < count; i++) {
    const s = rest.subarray(i * seg, Math.min((i + 1) * seg, rest.length));
    const last = i === count - 1;
    if (last && s.length < TAG) throw new Fail('Truncated');
    const p = gcmOpen(payloadKey, chunkNonce(i, last), s);
    if (p) { parts.push(p); continue; }
    if (gcmOpen(payloadKey, chunkNonce(i, !last), s)) throw new Fail(last ? 'Truncated' : 'TrailingData');
    throw new Fail('ChunkTampered', i);
  }
  return { plaintext: Buffer.concat(parts), metadata };
}

function rsaUnwrap(privatePem, wrapped) {
  if (wrapped.subarray(0, 4).toString('latin1') !== 'SLCK' || wrapped[4] !== 1 || wrapped[5] !== 1) throw new Fail('InvalidHeader');
  const spki = createPublicKeyDer(privatePem);
  if (!createHash('sha256').update(spki).digest().equals(wrapped.subarray(6, 38))) throw new Fail('NotForThisKey');
  const len = wrapped.readUInt16BE(38);
  if (wrapped.length !== 40 + len) throw new Fail('InvalidHeader');
  let key;
  try {
    key = privateDecrypt({ key: privatePem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, wrapped.subarray(40));
  } catch { throw new Fail('DecryptFailed'); }
  if (key.length !== 32) throw new Fail('DecryptFailed');
  return key;
}

function createPublicKeyDer(privatePem) {
  return createPublicKey(privatePem).export({ type: 'spki', format: 'der' });
}

const hex = (s) => Buffer.from(s, 'hex');
let failures = 0, checked = 0;
function check(ok, what) { checked++; if (!ok) { failures++; console.error('MISMATCH:', what); } }

const envelope = JSON.parse(readFileSync(join(here, 'file_envelope_v1.json'), 'utf8'));
for (const c of envelope.cases) {
  try {
    const { plaintext, metadata } = openEnvelope(hex(c.key_hex), hex(c.ciphertext_hex));
    check(c.expect === 'ok' && plaintext.equals(hex(c.plaintext_hex)), `${c.name}: opened`);
    if (c.expect === 'ok') {
      const canon = (m) => m && JSON.stringify(Object.entries(m).filter(([, v]) => v !== null).sort());
      check(canon(metadata) === canon(c.metadata), `${c.name}: metadata ${JSON.stringify(metadata)}`);
    }
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    check(e.name === c.expect && (c.error_index === undefined || c.error_index === e.index), `${c.name}: got ${e.name} ${e.index ?? ''}, want ${c.expect}`);
  }
}

const rsa = JSON.parse(readFileSync(join(here, 'rsa_wrap_v1.json'), 'utf8'));
const pem = readFileSync(join(here, 'rsa_test_key.pem'), 'utf8');
check(createHash('sha256').update(createPublicKeyDer(pem)).digest('hex') === rsa.fingerprint_hex, 'RSA fingerprint');
for (const c of rsa.cases) {
  try {
    const key = rsaUnwrap(pem, hex(c.wrapped_hex));
    check(c.expect === 'ok' && key.equals(hex(c.key_hex)), `${c.name}: unwrapped`);
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    check(e.name === c.expect, `${c.name}: got ${e.name}, want ${c.expect}`);
  }
}

// §7: the sealed identity key opens (root key, base64url) to PKCS#8 DER whose public
// half is the published SPKI, fingerprint and cert:modulus.
const identity = JSON.parse(readFileSync(join(here, 'identity_v1.json'), 'utf8'));
const rootKey = Buffer.from(identity.sealed.root_key, 'base64url');
const { plaintext: pkcs8 } = openEnvelope(rootKey, hex(identity.sealed.envelope_hex));
const identityPublic = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
const spkiDer = identityPublic.export({ type: 'spki', format: 'der' });
check(spkiDer.equals(createPublicKey(identity.spki_pem).export({ type: 'spki', format: 'der' })), 'identity: sealed key is the published SPKI');
check(createHash('sha256').update(spkiDer).digest('hex').match(/..../g).join(' ') === identity.fingerprint, 'identity: fingerprint');
const modulus = Buffer.from(identityPublic.export({ format: 'jwk' }).n, 'base64url').toString('hex');
check(identity.profile_ntriples.some((t) => t.includes(`cert#modulus> "${modulus}"^^<http://www.w3.org/2001/XMLSchema#hexBinary>`)), 'identity: cert:modulus');
check(identity.profile_ntriples.some((t) => t.includes('cert#exponent> "65537"^^<http://www.w3.org/2001/XMLSchema#integer>')), 'identity: cert:exponent');

// §5.1, §5.2: a file link names its own keystore; follow it to the file. The
// fragment is form-urlencoded; keys are base64url without padding (43 characters).
const fileLink = JSON.parse(readFileSync(join(here, 'file_link_v1.json'), 'utf8'));
const linkFields = (link) => new URLSearchParams(link.slice(link.indexOf('#') + 1));
const b64url = (text) => {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) throw new Fail('BadKey');
  const key = Buffer.from(text, 'base64url');
  if (key.toString('base64url') !== text) throw new Fail('BadKey'); // non-zero trailing bits
  return key;
};
{
  const f = linkFields(fileLink.link);
  check(f.get('v') === '1' && f.get('kind') === 'file' && !f.has('key'), 'file link: a keystore-form file link');
  check(f.get('res') === fileLink.resource && f.get('ks') === fileLink.keystore, 'file link: res and ks');
  const ksKey = b64url(f.get('kskey'));
  check(ksKey.equals(hex(fileLink.keystore_key_hex)), 'file link: kskey');
  const store = JSON.parse(openEnvelope(ksKey, hex(fileLink.keystore_envelope_hex)).plaintext.toString('utf8'));
  check(store.format === 'solidcrypt-keystore' && store.version === 1, 'file link: keystore format');
  const sorted = (v) => (v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v);
  check(JSON.stringify(sorted(store)) === JSON.stringify(sorted(fileLink.keystore_json)), 'file link: keystore JSON');
  // Only the entry for exactly `res` counts: the other one is the pod owner's claim.
  const fileKey = b64url(store.entries[f.get('res')].key);
  check(fileKey.equals(hex(fileLink.file_key_hex)), 'file link: the file key from the keystore');
  const { plaintext, metadata } = openEnvelope(fileKey, hex(fileLink.file_envelope_hex));
  check(plaintext.equals(hex(fileLink.plaintext_hex)), 'file link: the file opens');
  check(metadata.name === fileLink.metadata.name && metadata.size === fileLink.metadata.size, 'file link: metadata');
  const planted = b64url(store.entries[fileLink.planted.url].key);
  let opensWithPlanted = true;
  try { openEnvelope(planted, hex(fileLink.file_envelope_hex)); } catch (e) { if (!(e instanceof Fail)) throw e; opensWithPlanted = false; }
  check(!opensWithPlanted, 'file link: the planted key opens nothing');
  // §5.3: the key-in-link form carries the same file key itself.
  const old = linkFields(fileLink.key_in_link);
  check(old.get('res') === fileLink.resource && !old.has('ks') && b64url(old.get('key')).equals(fileKey), 'key-in-link: the same key');
}

// §8.3: an LDN notification's solidcrypt payload, from its Turtle: the one node of
// the given type with solidcrypt's as:mediaType, its actor, target and as:content.
const AS = 'https://www.w3.org/ns/activitystreams#';
function notification(turtle, type, mediaType) {
  const one = (predicate, object) => {
    const found = [...turtle.matchAll(new RegExp(`<${AS}${predicate}> ${object}`, 'g'))];
    if (found.length !== 1) throw new Error(`${type}: ${found.length} as:${predicate}`);
    return found[0][1];
  };
  if (!turtle.includes(` a <${AS}${type}>`)) throw new Error(`no as:${type}`);
  if (one('mediaType', '"([^"]*)"') !== mediaType) throw new Error('another app\'s notification');
  return {
    actor: one('actor', '<([^>]*)>'),
    target: one('target', '<([^>]*)>'),
    payload: Buffer.from(one('content', '"([A-Za-z0-9+/=]*)"\\^\\^<http://www.w3.org/2001/XMLSchema#base64Binary>'), 'base64'),
  };
}

// payload = RSA-wrapped offer key (§3, 40 + ct_len bytes) || file envelope under it.
function openPayload(privatePem, payload) {
  const wrapLen = 40 + payload.readUInt16BE(38);
  const key = rsaUnwrap(privatePem, payload.subarray(0, wrapLen));
  return JSON.parse(openEnvelope(key, payload.subarray(wrapLen)).plaintext.toString('utf8'));
}

const person = JSON.parse(readFileSync(join(here, 'person_share_v1.json'), 'utf8'));
const recipientPem = readFileSync(join(here, person.recipient_key), 'utf8');
check(createHash('sha256').update(createPublicKeyDer(recipientPem)).digest('hex') === person.recipient_fingerprint, 'person share: recipient fingerprint');
const offerNote = notification(person.offer.notification, 'Offer', 'application/vnd.solidcrypt.offer');
check(offerNote.payload.equals(hex(person.offer.payload_hex)), 'offer: as:content is the payload');
check(offerNote.payload.subarray(6, 38).toString('hex') === person.recipient_fingerprint, 'offer: wrapped to the recipient');
const offer = openPayload(recipientPem, offerNote.payload);
check(isDeepStrictEqual(offer, person.offer.json), `offer: opens to its JSON ${JSON.stringify(offer)}`);
check(offer.format === 'solidcrypt-offer' && offer.version === 1, 'offer: format and version');
check(offerNote.actor === offer.sender && offerNote.target === offer.recipient, 'offer: Turtle actor/target are the JSON sender/recipient');
check(offer.recipient_fingerprint === person.recipient_fingerprint, 'offer: recipient_fingerprint');
check(Buffer.from(offer.keystore_key, 'base64url').length === 32, 'offer: keystore_key is 32 bytes');
// §8.5: proof = SHA-256("solidcrypt offer proof v1" || id (16 bytes) || challenge (32 bytes)).
const challenge = Buffer.from(offer.challenge, 'base64url');
check(challenge.length === 32, 'offer: challenge is 32 bytes');
const proof = createHash('sha256')
  .update(Buffer.concat([Buffer.from('solidcrypt offer proof v1', 'ascii'), hex(offer.id), challenge]))
  .digest('base64url');
check(proof === person.offer.proof, 'proof: hash of the challenge bound to the offer id');
const proofNote = notification(person.proof.notification, 'Accept', 'application/vnd.solidcrypt.proof');
const answer = openPayload(recipientPem, proofNote.payload);
check(isDeepStrictEqual(answer, person.proof.json), `proof: opens to its JSON ${JSON.stringify(answer)}`);
check(answer.format === 'solidcrypt-offer-proof' && answer.offer === offer.id && answer.proof === proof, 'proof: answers the offer');
check(proofNote.actor === answer.from && proofNote.target === offer.sender, 'proof: from the recipient to the sender');
// §8.2: the shares list, a file envelope under the root keystore's key.
const sharesDoc = JSON.parse(openEnvelope(Buffer.from(person.shares.key, 'base64url'), hex(person.shares.file_hex)).plaintext.toString('utf8'));
check(isDeepStrictEqual(sharesDoc, person.shares.json), 'shares: opens to its JSON');
check(sharesDoc.format === 'solidcrypt-shares' && sharesDoc.version === 1, 'shares: format and version');
check(sharesDoc.created.every((c) => c.id === `${c.alias}$${c.recipient}` && Buffer.from(c.keystore_key, 'base64url').length === 32), 'shares: ids and keystore keys');

// §1.8 resuming: the upload record opens under the file key to a JSON whose size and
// digests are those of the plaintext its rule gives; the resumed envelope opens, and
// its kept parts end on a chunk boundary as step 3 requires.
const upload = JSON.parse(readFileSync(join(here, 'upload_resume_v1.json'), 'utf8'));
const ruleBytes = (size) => Buffer.from(Array.from({ length: size }, (_, i) => i % 251));
const sha = (b) => createHash('sha256').update(b).digest('hex');
{
  const r = upload.record;
  const doc = JSON.parse(openEnvelope(Buffer.from(r.key, 'base64url'), hex(r.envelope_hex)).plaintext.toString('utf8'));
  check(isDeepStrictEqual(doc, r.json), 'upload record: opens to its JSON');
  check(doc.format === 'solidcrypt-upload' && doc.version === 1 && doc.size === r.plaintext_size, 'upload record: format, version, size');
  check(Number.isSafeInteger(doc.modified) && doc.modified >= 0, 'upload record: a last-modified time in ms');
  const file = ruleBytes(r.plaintext_size), edge = Math.min(1 << 20, file.length);
  check(doc.head === sha(file.subarray(0, edge)) && doc.tail === sha(file.subarray(file.length - edge)), 'upload record: head and tail digests');
  const z = upload.resumed, env = hex(z.envelope_hex);
  const opened = openEnvelope(Buffer.from(z.key, 'base64url'), env);
  check(opened.plaintext.equals(ruleBytes(z.plaintext_size)), 'resumed envelope: opens to its plaintext');
  const start = HEADER_LEN + env.readUInt32BE(10), seg = z.chunk_size + TAG;
  const end = z.kept_part_lengths.reduce((a, b) => a + b, 0);
  check(end >= start && (end - start) % seg === 0 && (end - start) / seg === z.next_chunk, 'resumed envelope: kept parts end on chunk next_chunk');
}

console.log(`independent decryptor: ${checked - failures}/${checked} checks agree`);
process.exit(failures ? 1 : 0);
