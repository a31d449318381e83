// SolidCryptPad's on-pod format written with the real crypto-js@4.1.1 (package.json
// pins it), so the import (src/import/solidcryptpad/, docs/FORMAT.md §10) is tested
// against what that app really wrote, not against our reading of it.
//
//   node tests/solidcryptpad/make-fixture.mjs vectors <out.json>
//       the crypto vectors of tests/vectors/solidcryptpad_v1.json
//   node tests/solidcryptpad/make-fixture.mjs pod <root URL> <out dir>
//       a SolidCryptPad pod tree for the storage root <root URL> (keystores, nested
//       folders, a tampered file, ...) as files under <out dir>, plus
//       <out dir>/fixture.json: what to PUT where and what the import must find.
// The e2e test imports `podFixture` and PUTs the files itself.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import CryptoJS from 'crypto-js';

/** SolidCryptPad's `SHA256Salted`: the master passphrase from the user's password. */
export const masterPassphrase = (password) => CryptoJS.SHA256(password + '1205sOlIDCryptPADsalt1502').toString();

/** SolidCryptPad's `encryptString`: crypto-js passphrase mode, random salt. */
const encrypt = (text, passphrase) => CryptoJS.AES.encrypt(text, passphrase).toString();

/** SolidCryptPad's `decryptString`, to check what we write reads back in crypto-js. */
function decrypt(ciphertext, passphrase) {
  try {
    return CryptoJS.AES.decrypt(ciphertext, passphrase).toString(CryptoJS.enc.Utf8);
  } catch {
    return '';
  }
}

/** A 64-hex key as SolidCryptPad's `generateNewKey` makes them, but from a seed, so
 * fixtures are reproducible except for crypto-js's random salts. */
const keyFrom = (seed) => createHash('sha256').update(`fixture key ${seed}`).digest('hex');

/** `FileReader.readAsDataURL` of `bytes` typed `type` (what SolidCryptPad encrypted). */
const dataUrl = (type, bytes) => `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;

/** Deterministic "random" bytes. */
function bytesFrom(seed, length) {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 32) createHash('sha256').update(`${seed} ${i}`).digest().copy(out, i);
  return out;
}

export function vectors() {
  const password = 'old solidcryptpad password ü';
  const kdf = [];
  for (const [passphrase, saltHex] of [['a', '0001020304050607'], [keyFrom(1), 'fffefdfcfbfaf9f8'], ['', '0000000000000000']]) {
    const derived = CryptoJS.kdf.OpenSSL.execute(passphrase, 256 / 32, 128 / 32, CryptoJS.enc.Hex.parse(saltHex));
    kdf.push({ passphrase, salt_hex: saltHex, key_hex: derived.key.toString(), iv_hex: derived.iv.toString() });
  }
  const plaintexts = [
    'x',
    '0123456789abcdef', // one whole block: a whole block of padding follows
    'Grüße, 世界 🙂',
    JSON.stringify({ keys: { 'http://localhost:3000/alice/solidcryptpad/Überuns.txt': keyFrom(2) } }),
    dataUrl('image/png', bytesFrom('png', 100)),
  ];
  const decrypts = plaintexts.map((plaintext, i) => {
    const passphrase = i % 2 ? keyFrom(i) : masterPassphrase(password);
    const ciphertext = encrypt(plaintext, passphrase);
    if (decrypt(ciphertext, passphrase) !== plaintext) throw new Error('crypto-js does not read its own vector');
    return { passphrase, ciphertext, plaintext };
  });
  const wrongKey = { passphrase: keyFrom('wrong'), ciphertext: decrypts[3].ciphertext };
  return {
    description: 'SolidCryptPad (crypto-js 4.1.1 passphrase mode), docs/FORMAT.md §10; written by tests/solidcryptpad/make-fixture.mjs',
    master: { password, passphrase: masterPassphrase(password) },
    kdf,
    decrypts,
    wrong_key: wrongKey,
  };
}

/** `ciphertext` changed in its last block until crypto-js no longer reads it as
 * a data URL (no MAC: a change may still decrypt, rarely, to something). */
function tamper(ciphertext, passphrase) {
  const raw = Buffer.from(ciphertext, 'base64');
  for (let flip = 1; flip < 256; flip++) {
    const changed = Buffer.from(raw);
    changed[changed.length - 1] ^= flip;
    const text = changed.toString('base64');
    if (!decrypt(text, passphrase).startsWith('data:')) return text;
  }
  throw new Error('no tampering found');
}

/** A SolidCryptPad pod at storage root `root`: its files and what importing finds. */
export function podFixture(root, password = 'old-pad-password') {
  const keystores = `${root}solidcryptpad-data/keystores/`;
  const files = `${root}solidcryptpad/`;
  const rootKeystore = { keys: {} };
  const folderKeystore = { keys: {} };
  const folderKeystoreUrl = `${keystores}${keyFrom('folder keystore url')}.shared-keystore`;
  const out = []; // {path (below root, as SolidCryptPad's URL had it), body}
  const expect = []; // {folder: [names], name, type, sha256, outcome, size}
  const put = (url, body) => out.push({ path: url.slice(root.length), body });

  const file = (folder, name, type, bytes, { inRoot = true, inFolder = false, tampered = false, raw = false } = {}) => {
    const url = `${files}${folder.map((f) => `${f}/`).join('')}${name}`.replace(/ /g, ''); // as writeFile did
    const key = keyFrom(url);
    if (inRoot) rootKeystore.keys[url] = key;
    if (inFolder) folderKeystore.keys[url] = key;
    const ciphertext = encrypt(raw ? bytes.toString() : dataUrl(type, bytes), key);
    put(url, tampered ? tamper(ciphertext, key) : ciphertext);
    expect.push({
      folder: folder.map((f) => f.replace(/ /g, '')), name: name.replace(/ /g, ''), type: type || 'application/octet-stream',
      sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length,
      outcome: tampered || raw || !(inRoot || inFolder) ? 'failed' : 'imported',
    });
  };
  // A .txt upload: SolidCryptPad stored marked's HTML of it, typed text/plain.
  file([], 'notes.txt', 'text/plain', Buffer.from('<p>first line<br>second line</p>\n'));
  file([], 'photo.png', 'image/png', bytesFrom('photo', 3000));
  file([], 'empty', '', Buffer.alloc(0)); // FileReader of an empty, untyped blob
  file([], 'broken.bin', 'application/octet-stream', bytesFrom('broken', 500), { tampered: true });
  // Decrypts with its key, but to no data URL: reported, not imported.
  file([], 'raw.html', 'text/html', Buffer.from('<p>not a data URL</p>'), { raw: true });
  file([], 'orphan.txt', 'text/plain', Buffer.from('no key anywhere'), { inRoot: false });
  // A folder the owner shared: its keystore and the root one both hold its keys ...
  file(['Projects'], 'plan.md', 'text/markdown', Buffer.from('# Plan\n'), { inFolder: true });
  // ... except this one, whose key only the folder keystore has; a space stripped,
  // non-ASCII kept raw in the keystore (the pod percent-encodes it).
  file(['Projects', 'Jahr 2026'], 'Über uns.txt', 'text/plain', Buffer.from('<p>über</p>\n'), { inRoot: false, inFolder: true });

  const storage = (key) => JSON.stringify({ encryptionKey: key });
  const index = [
    { type: 'folder', keystoreSerialized: JSON.stringify({ url: `${keystores}root.json.enc`, root }), storageSerialized: storage(keyFrom('root ks')) },
    // shared-files.json.enc is never written here: a 404 means "no keys".
    { type: 'sharedFile', keystoreSerialized: JSON.stringify({ url: `${keystores}shared-files.json.enc` }), storageSerialized: storage(keyFrom('shared files ks')) },
    { type: 'folder', keystoreSerialized: JSON.stringify({ url: folderKeystoreUrl, root: `${files}Projects/` }), storageSerialized: storage(keyFrom('folder ks')) },
    // A hostile entry: an own-looking keystore on another server, never fetched.
    { type: 'folder', keystoreSerialized: JSON.stringify({ url: 'http://localhost:1/evil/solidcryptpad-data/keystores/root.json.enc', root: files }), storageSerialized: storage(keyFrom('evil')) },
    // Someone else's folder shared with this user: on another pod, not imported.
    { type: 'sharedFolder', keystoreSerialized: JSON.stringify({ url: 'http://other.example/bob/solidcryptpad-data/keystores/x.shared-keystore', root: 'http://other.example/bob/solidcryptpad/' }), storageSerialized: storage(keyFrom('other')) },
  ];
  put(`${keystores}keystores.json.enc`, encrypt(JSON.stringify(index), masterPassphrase(password)));
  put(`${keystores}root.json.enc`, encrypt(JSON.stringify(rootKeystore), keyFrom('root ks')));
  put(folderKeystoreUrl, encrypt(JSON.stringify(folderKeystore), keyFrom('folder ks')));
  put(`${root}solidcryptpad-data/sharing/shared-by-me.json`, encrypt('[]', masterPassphrase(password)));
  return { password, files: out, expect };
}

const [mode, ...args] = process.argv.slice(2);
const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (!isMain) {
  // imported (by the e2e test): no command line
} else if (mode === 'vectors') {
  writeFileSync(args[0], JSON.stringify(vectors(), null, 2) + '\n');
} else if (mode === 'pod') {
  const [root, dir] = args;
  const fixture = podFixture(root);
  for (const f of fixture.files) {
    const path = join(dir, decodeURI(f.path));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.body);
  }
  writeFileSync(join(dir, 'fixture.json'), JSON.stringify(fixture, null, 2) + '\n');
} else {
  console.error('usage: make-fixture.mjs vectors <out.json> | pod <root URL> <out dir>');
  process.exit(2);
}
