#!/usr/bin/env python3
# Independent check of docs/FORMAT.md §2 (password-wrapped key) against
# password_wrap_v1.json, written from the spec with Python's `cryptography` (>= 44,
# for Argon2id; Node 20 has no Argon2, so independent_decrypt.mjs skips this format).
# Optional: scripts/setup does not install it. Usage: python3 tests/vectors/independent_password.py
import hmac, json, os, sys
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.exceptions import InvalidTag
d = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'password_wrap_v1.json')))
failures = 0
for c in d['cases']:
    b = bytes.fromhex(c['wrapped_hex'])
    assert b[:4] == b'SLCP' and b[4] == 1 and b[5] == 1 and len(b) == 126
    m, t, p = (int.from_bytes(b[i:i+4], 'big') for i in (6, 10, 14))
    a = Argon2id(salt=b[18:34], length=32, iterations=t, lanes=p, memory_cost=m).derive(c['password'].encode())
    okm = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=b'solidcrypt password v1' + b[:34]).derive(a)
    if not hmac.compare_digest(okm[32:], b[34:66]):
        got = 'WrongPassword'
    else:
        try:
            key = AESGCM(okm[:32]).decrypt(b[66:78], b[78:], b[:78]); got = 'ok'
            assert key.hex() == c['key_hex']
        except InvalidTag:
            got = 'Corrupted'
    ok = got == c['expect']
    failures += not ok
    print(f"{'agree' if ok else 'MISMATCH'}: {c['name']}: {got}")
sys.exit(1 if failures else 0)
