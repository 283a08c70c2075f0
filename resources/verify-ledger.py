#!/usr/bin/env python3
"""Check a Sightline case folder without Sightline: Python 3 standard library + the openssl CLI (3.x).

    python3 verify-ledger.py <case-folder>

Re-computes every ledger event's hash (SHA-256 of its RFC 8785 canonical JSON
without "hash" and "sig"), walks the chain (seq and prev), checks every Ed25519
signature with openssl against the keys the ledger itself established, and
re-hashes every object in objects/sha256/. Prints each problem and the head
hash; exits 0 when everything checks out, 1 otherwise.

Canonical JSON: Sightline events hold only ASCII keys, strings, integers,
booleans and null, for which RFC 8785 is exactly Python's
json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False).
Any other JCS implementation gives the same bytes.
"""
import base64, hashlib, json, os, re, subprocess, sys, tempfile

HASHED = ("seq", "id", "ts", "actor", "type", "payload", "prev")


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def ed25519_ok(public_key_b64, hash_hex, sig_b64):
    with tempfile.TemporaryDirectory() as tmp:
        pub, msg, sig = (os.path.join(tmp, n) for n in ("pub.der", "msg", "sig"))
        open(pub, "wb").write(base64.b64decode(public_key_b64))
        open(msg, "wb").write(bytes.fromhex(hash_hex))
        open(sig, "wb").write(base64.b64decode(sig_b64))
        run = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", pub,
                              "-rawin", "-in", msg, "-sigfile", sig], capture_output=True)
        return run.returncode == 0


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main(case):
    problems, keys, objects, derived, prev = [], {}, {}, {}, None
    with open(os.path.join(case, "ledger.jsonl"), "rb") as f:
        lines = f.read().decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, 1):
        try:
            event = json.loads(line)
        except ValueError:
            problems.append(f"line {number}: not JSON")
            prev = None
            continue
        digest = hashlib.sha256(canonical({k: event.get(k) for k in HASHED})).hexdigest()
        if digest != event.get("hash"):
            problems.append(f"line {number}: content does not match its hash")
        if number == 1:
            if event.get("type") != "case.created" or event.get("prev") is not None or event.get("seq") != 0:
                problems.append("line 1: not a genesis event")
            examiner = event["payload"]["examiner"]
            key_id = "ed25519:" + hashlib.sha256(examiner["publicKey"].encode()).hexdigest()[:32]
            if key_id != examiner["keyId"] or event.get("actor") != key_id:
                problems.append("line 1: key id does not belong to its key")
            signer = examiner["publicKey"]
        else:
            if prev is not None and (event.get("seq") != prev["seq"] + 1 or event.get("prev") != prev["hash"]):
                problems.append(f"line {number}: does not follow event {prev['seq']} (seq or prev)")
            signer = keys.get(event.get("actor"))
        trusted = signer is not None and ed25519_ok(signer, event["hash"], event["sig"])
        if not trusted:
            problems.append(f"line {number}: signature missing, unknown or invalid")
        if event["type"] == "case.created":
            keys[event["payload"]["examiner"]["keyId"]] = event["payload"]["examiner"]["publicKey"]
        elif event["type"] == "examiner.added" and trusted:
            keys[event["payload"]["examiner"]["keyId"]] = event["payload"]["examiner"]["publicKey"]
        elif event["type"] == "item.imported":
            objects[event["payload"]["objectPath"]] = event["payload"]["sha256"]
        elif event["type"] == "derivative.created":
            d = event["payload"]
            # A derivative must sit in its parent's folder, with a plain name (never ../).
            if re.fullmatch(r"derived/[0-9a-f]{64}/[A-Za-z0-9][A-Za-z0-9._-]{0,127}", d["path"]) and d[
                "path"
            ].startswith(f"derived/{d['parent']}/"):
                derived[d["path"]] = d["sha256"]
            else:
                problems.append(f"line {number}: derivative path {d['path']!r} is outside its parent's folder")
        prev = event
    for path, sha in sorted(derived.items()):
        full = os.path.join(case, path)
        if not os.path.exists(full):
            problems.append(f"{path}: missing")
        elif sha256_file(full) != sha:
            problems.append(f"{path}: bytes do not match the recorded SHA-256")
    for path, sha in sorted(objects.items()):
        full = os.path.join(case, path)
        if not os.path.exists(full):
            problems.append(f"{path}: missing")
            continue
        if sha256_file(full) != sha or path != f"objects/sha256/{sha[:2]}/{sha[2:]}":
            problems.append(f"{path}: bytes do not match the recorded SHA-256")
    for root, _, names in os.walk(os.path.join(case, "objects")):
        for name in names:
            rel = os.path.relpath(os.path.join(root, name), case).replace(os.sep, "/")
            if rel not in objects:
                problems.append(f"{rel}: not named by any ledger event")
    for p in problems:
        print("PROBLEM", p)
    head = f"{prev['seq']} {prev['hash']}" if prev else "none"
    print(
        f"{'OK' if not problems else 'FAILED'}: {len(lines)} events, {len(objects)} objects, "
        f"{len(derived)} derivatives, head {head}"
    )
    return 0 if not problems else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: verify-ledger.py <case-folder>")
    sys.exit(main(sys.argv[1]))
