#!/usr/bin/env python3
"""Check a Sightline case folder without Sightline: Python 3 standard library + the openssl CLI (3.x).

    python3 verify-ledger.py <case-folder>
    python3 verify-ledger.py --canonical < value.json     # prints the RFC 8785 form of one JSON value

Reads ledger.jsonl as strictly as `sightline verify` does (docs/LEDGER.md, "Verification"):
re-computes every event's hash (SHA-256 of the RFC 8785 canonical JSON of the event without
"hash" and "sig"), walks the chain (seq and prev), checks every Ed25519 signature with openssl
against the keys the ledger itself established, checks each payload's shape, re-hashes every
object and derivative (never following a symbolic link or opening anything but a regular
file), compares case.json with the ledger, checks the folder's shape (the last paragraph
of "Reading the ledger": `case-layout-invalid`; nothing below such a folder is opened), checks
the where-and-when records across events ("Where and when": reviews by a second examiner,
references to earlier records of the right type and item, snapshots, imported items) and
re-hashes every file in exports/ that a `geolocations.exported`, `report.generated`,
`scorecard.exported` or `uco.exported` event names, and checks a training exercise ("Training exercises": one start,
hints among those named, nothing but scoring and exports after submission, the key it started with). Prints
one line per problem and notice, each ending in its code, e.g.
`PROBLEM line 3: not valid UTF-8 [ledger-invalid-text]`, then the head;
exits 0 when there is no problem (notices allowed), 1 otherwise. A problem never stops the
check: every other problem is still reported.

This file is also the reference implementation of the format's canonical JSON (`canonical`).
"""
import base64, hashlib, json, math, os, re, stat, subprocess, sys, tempfile

FIELDS = ("seq", "id", "ts", "actor", "type", "payload", "prev", "hash", "sig")
HASHED = FIELDS[:7]
HEX64 = re.compile(r"[0-9a-f]{64}")
OBJECT_PATH = re.compile(r"objects/sha256/([0-9a-f]{2})/([0-9a-f]{62})")
DERIVED_PATH = re.compile(r"derived/([0-9a-f]{64})/[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
SHARD = re.compile(r"[0-9a-f]{2}")
# DER SubjectPublicKeyInfo of an Ed25519 key: this 12-byte header, then the 32-byte key.
ED25519_SPKI_HEADER = bytes.fromhex("302a300506032b6570032100")


# --- RFC 8785 canonical JSON -------------------------------------------------------------


def es_number(value):
    """ECMAScript Number::toString of a double (RFC 8785 section 3.2.2.3)."""
    if isinstance(value, int):
        value = float(value)  # as any JSON reader that holds numbers as doubles sees it
    if not math.isfinite(value):
        raise ValueError("NaN and Infinity have no JSON form")
    if value == 0:
        return "0"  # -0 too
    sign = "-" if value < 0 else ""
    # repr gives the shortest digits that read back as the same double; only their layout differs.
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    last = int(exponent or 0) - len(fraction)  # value = int(digits) * 10**last
    stripped = digits.rstrip("0")
    last += len(digits) - len(stripped)
    digits, k = stripped, len(stripped)
    n = k + last  # value = 0.digits * 10**n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        e = n - 1
        text = (digits[0] + ("." + digits[1:] if k > 1 else "")) + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + text


_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def es_string(text):
    """A JSON string: only '"', '\\' and U+0000-U+001F escaped; everything else as it is."""
    out = []
    for ch in text:
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif ch < " ":
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _canonical_text(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return es_number(value)
    if isinstance(value, str):
        return es_string(value)
    if isinstance(value, list):
        return "[" + ",".join(_canonical_text(v) for v in value) + "]"
    if isinstance(value, dict):
        # Members ordered by the UTF-16 code units of their names, not by code points.
        names = sorted(value, key=lambda k: k.encode("utf-16-be", "surrogatepass"))
        return "{" + ",".join(es_string(k) + ":" + _canonical_text(value[k]) for k in names) + "}"
    raise TypeError(f"{type(value).__name__} has no JSON form")


def canonical(value):
    """The RFC 8785 (JCS) bytes of a parsed JSON value. A lone surrogate cannot be encoded: UnicodeError."""
    return _canonical_text(value).encode("utf-8")


# --- Strict JSON reading -------------------------------------------------------------------


class Refused(Exception):
    def __init__(self, code, reason):
        super().__init__(reason)
        self.code, self.reason = code, reason


def _no_duplicates(pairs):
    seen = {}
    for name, value in pairs:
        if name in seen:
            raise Refused("ledger-duplicate-key", f"member name {name!r} appears twice in one object")
        seen[name] = value
    return seen


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise Refused("ledger-malformed-line", f"number {text} is too large for JSON")
    return value


class _MinusZero(int):
    """The literal -0: the number 0, but not a plain integer literal."""


def _integer(text):
    return _MinusZero(0) if text == "-0" else int(text)


def _refuse_constant(name):
    raise Refused("ledger-malformed-line", f"{name} is not JSON")


def _has_lone_surrogate(value):
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    return False


def parse_strict(data):
    """One JSON value from bytes: UTF-8, no duplicate member names, no lone surrogates, finite numbers."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("ledger-invalid-text", "not valid UTF-8") from None
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=_finite,
            parse_int=_integer,
            parse_constant=_refuse_constant,
        )
    except ValueError:
        raise Refused("ledger-malformed-line", "not valid JSON") from None
    if _has_lone_surrogate(value):
        raise Refused("ledger-invalid-text", "a string holds a lone surrogate (not Unicode text)")
    return value


# --- Payload shapes ------------------------------------------------------------------------


class Opt:  # a member that may be absent
    def __init__(self, spec):
        self.spec = spec


class Null:  # null or the spec
    def __init__(self, spec):
        self.spec = spec


class OneOf:
    def __init__(self, *values):
        self.values = values


class Rule:
    """A spec that checks more than a JSON type (ranges, lengths, cross-member rules): `fits(value)`."""


def _is_number(value):
    return not isinstance(value, bool) and isinstance(value, (int, float))


class Num(Rule):
    """A number within [low, high]; `above` for a strict lower bound; `integer` for an integral one."""

    def __init__(self, low=None, high=None, integer=False, above=None):
        self.low, self.high, self.integer, self.above = low, high, integer, above

    def fits(self, value):
        if not _is_number(value) or (self.integer and not float(value).is_integer()):
            return False
        if self.low is not None and value < self.low:
            return False
        if self.above is not None and value <= self.above:
            return False
        return self.high is None or value <= self.high


CONTROLS = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]")


class Text(Rule):
    """A string of at most `max` characters, counted as the schemas (zod) count them: Unicode code points,
    so an emoji is one; examiner text has no control characters but tab, LF and CR; `required` text is not
    only white space (as JavaScript's trim sees it); `pattern` must match it whole."""

    def __init__(self, max, examiner=False, required=False, pattern=None):
        self.max, self.examiner, self.required, self.pattern = max, examiner, required, pattern

    def fits(self, value):
        if not isinstance(value, str) or len(value) > self.max:
            return False
        if (self.examiner or self.required) and CONTROLS.search(value):
            return False
        if self.required and not js_trim(value):
            return False
        return self.pattern is None or self.pattern.fullmatch(value) is not None


# JavaScript's String.prototype.trim removes these (WhiteSpace and LineTerminator), not Python's str.strip set.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def js_trim(text):
    return text.strip(_JS_SPACE)


class Arr(Rule):
    def __init__(self, spec, max, min=0):
        self.spec, self.max, self.min = spec, max, min

    def fits(self, value):
        return isinstance(value, list) and self.min <= len(value) <= self.max and all(fits(v, self.spec) for v in value)


class Tuple(Rule):
    def __init__(self, *specs):
        self.specs = specs

    def fits(self, value):
        return (isinstance(value, list) and len(value) == len(self.specs)
                and all(fits(v, s) for v, s in zip(value, self.specs)))


class AnyOf(Rule):
    def __init__(self, *specs):
        self.specs = specs

    def fits(self, value):
        return any(fits(value, s) for s in self.specs)


class Where(Rule):
    """`spec`, and then `rule(value)` (a rule across members)."""

    def __init__(self, spec, rule):
        self.spec, self.rule = spec, rule

    def fits(self, value):
        return fits(value, self.spec) and self.rule(value)


def fits(value, spec):
    """Whether a parsed JSON value has the shape `spec` (objects: exactly the listed members)."""
    if isinstance(spec, Rule):
        return spec.fits(value)
    if isinstance(spec, Null):
        return value is None or fits(value, spec.spec)
    if isinstance(spec, OneOf):
        return isinstance(value, str) and value in spec.values
    if isinstance(spec, re.Pattern):
        return isinstance(value, str) and spec.fullmatch(value) is not None
    if isinstance(spec, list):
        return isinstance(value, list) and all(fits(v, spec[0]) for v in value)
    if isinstance(spec, dict):
        if not isinstance(value, dict) or not set(value) <= set(spec):
            return False
        for name, member in spec.items():
            optional = isinstance(member, Opt)
            if name not in value:
                if not optional:
                    return False
            elif not fits(value[name], member.spec if optional else member):
                return False
        return True
    if spec is dict:
        return isinstance(value, dict)
    if spec is int:  # an integral number; JSON does not tell 5 from 5.0
        return not isinstance(value, bool) and isinstance(value, (int, float)) and float(value).is_integer()
    if spec is float:
        return not isinstance(value, bool) and isinstance(value, (int, float))
    return isinstance(value, spec)


HEX = {n: re.compile(f"[0-9a-f]{{{n}}}") for n in (16, 32, 40, 64)}
EXAMINER = {"keyId": str, "name": str, "publicKey": str}
TOOL = {"name": str, "version": str}
STATUSES = OneOf("unverified", "in-review", "verified", "disputed", "rejected")
PAYLOADS = {
    "case.created": {
        "caseId": str,
        "title": str,
        "formatVersion": int,
        "hashAlgorithms": [OneOf("sha256", "md5", "sha1")],
        "examiner": EXAMINER,
    },
    "examiner.added": {"examiner": EXAMINER},
    "item.imported": {
        "sha256": HEX[64],
        "md5": Opt(HEX[32]),
        "sha1": Opt(HEX[40]),
        "size": int,
        "objectPath": str,
        "isNewObject": bool,
        "source": {
            "originalName": str,
            "path": str,
            "relativePath": Null(str),
            "fileTimes": {"modified": str, "changed": Null(str), "accessed": Null(str), "born": Null(str)},
            "channel": Opt(OneOf("upload", "window")),
        },
        "acquisition": {"acquiredAt": str, "host": str, "user": str, "platform": str},
        "collection": {
            "sourceUrl": Null(str),
            "sourceAccount": Null(str),
            "collectedAt": Null(str),
            "collectedBy": {"name": str, "keyId": str},
            "tool": TOOL,
            "method": Null(str),
            "note": Null(str),
            "missing": [OneOf("source", "collectedAt", "method")],
        },
    },
    "derivative.created": {
        "parent": HEX[64],
        "role": OneOf("thumbnail", "keyframe", "poster", "proxy", "map-snapshot"),
        "path": DERIVED_PATH,
        "sha256": HEX[64],
        "size": int,
        "mime": str,
        "width": Null(int),
        "height": Null(int),
        "timestampS": Null(float),
        "phash": Null(HEX[16]),
        "tool": TOOL,
        "params": dict,
    },
    "ledger.recovered": {"tornBytes": int, "tornSha256": HEX[64], "savedAs": str},
    # Free text as the schemas have it (shared/ledger/events.ts): no control characters, not only white space.
    "note.added": {"sha256": HEX[64], "text": Text(20000, required=True)},
    "tags.changed": {"sha256": HEX[64], "added": [str], "removed": [str]},
    "status.changed": {"sha256": HEX[64], "from": STATUSES, "to": STATUSES, "reason": Text(4000, required=True)},
    "warning.acknowledged": {
        "sha256": HEX[64],
        "code": OneOf("empty-file", "unknown-format", "extension-mismatch", "no-metadata", "metadata-unreadable",
                      "metadata-truncated", "editing-software", "captured-after-modified", "gps-zero",
                      "thumbnail-mismatch", "suspicious-text", "image-undecodable", "video-unreadable",
                      "no-keyframes", "tool-missing"),
        "remark": Text(4000, required=True),
    },
    # Known types whose payload is only required to be an object here.
    "metadata.extracted": dict,
    "verification.run": dict,
}
# A damaged original restored from a later acquisition of the same bytes (LEDGER.md, "Restoring a damaged original").
PAYLOADS["original.restored"] = {
    "sha256": HEX[64],
    "objectPath": str,
    "acquisitionSeq": int,
    "collection": PAYLOADS["item.imported"]["collection"],
    "damaged": {
        "kind": OneOf("missing", "changed", "truncated", "not-a-file"),
        "sha256": Null(HEX[64]),
        "size": Null(int),
        "setAside": Null(re.compile(r"recovered/damaged-[0-9a-f]{64}-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z", re.ASCII)),
    },
    "foundBySeq": Null(int),
    "tool": TOOL,
}


# --- Where and when (shared/ledger/geoEvents.ts) -------------------------------------------

# re.ASCII: \d is 0-9 only, as in JavaScript (a str pattern's \d takes every Unicode digit).
CALENDAR_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", re.ASCII)
ISO_INSTANT = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(Z|([+-])(\d\d):(\d\d))", re.ASCII)
DERIVED_OR_ORIGINAL = re.compile(r"original|derived/[0-9a-f]{64}/[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
EXPORT_PATH = re.compile(r"exports/[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def instant_ms(text):
    """Milliseconds since 1970 of an ISO 8601 instant as JavaScript's Date.parse reads it, or None (NaN):
    a day past the month's end rolls over (Feb 30 is Mar 2), 24:00 is the next midnight, the fraction is
    cut to milliseconds; a month, hour, minute or second out of range is NaN."""
    m = ISO_INSTANT.fullmatch(text)
    if not m:
        return None
    year, month, day, hour, minute = (int(m.group(i)) for i in range(1, 6))
    second = int(m.group(6) or 0)
    ms = int((m.group(7) or "0").ljust(3, "0")[:3])
    if not (1 <= month <= 12 and 1 <= day <= 31 and minute <= 59 and second <= 59):
        return None
    if hour > 24 or (hour == 24 and (minute or second or ms)):
        return None
    offset = 0
    if m.group(8) != "Z":
        oh, om = int(m.group(10)), int(m.group(11))
        if oh > 23 or om > 59:
            return None
        offset = (oh * 60 + om) * (1 if m.group(9) == "+" else -1)
    # Days from 1970-01-01 to the first of the month (proleptic Gregorian), then the rest as plain arithmetic.
    y, mo = (year - 1, month + 9) if month <= 2 else (year, month - 3)
    days = 365 * y + y // 4 - y // 100 + y // 400 + (153 * mo + 2) // 5 - 719468
    return ((days + day - 1) * 86400 + hour * 3600 + (minute - offset) * 60 + second) * 1000 + ms


def examiner_text(max):
    return Text(max, examiner=True)


def required_text(max):
    return Text(max, required=True)


INSTANT = Where(Text(40), lambda t: ISO_INSTANT.fullmatch(t) is not None)
LATLON = {"lat": Num(-90, 90), "lon": Num(-180, 180)}
EVENT_REF = {"seq": Num(0, integer=True), "hash": HEX[64]}
BAND_ROLES = OneOf("coastal", "blue", "green", "red", "red-edge", "nir", "nir-narrow", "swir1", "swir2", "pan",
                   "thermal", "other")
FOUR_NUMBERS = Tuple(float, float, float, float)
POSITIVE_INT = Num(above=0, integer=True)
SCENE_TAGS = {
    "width": POSITIVE_INT, "height": POSITIVE_INT, "bandCount": POSITIVE_INT, "bitsPerSample": POSITIVE_INT,
    "sampleFormat": OneOf("uint", "int", "float", "other"), "epsg": POSITIVE_INT,
    "bounds": FOUR_NUMBERS, "bounds84": FOUR_NUMBERS, "resolution": Tuple(Num(above=0), Num(above=0)),
    "isTiled": bool, "overviewCount": Num(0, integer=True),
    "dateTime": Null(examiner_text(200)), "description": Null(examiner_text(2000)), "noData": Null(float),
}
BASEMAP_TAGS = {
    "tileType": OneOf("png", "jpeg", "webp", "avif", "mvt", "unknown"),
    "minZoom": Num(0, 30, integer=True), "maxZoom": Num(0, 30, integer=True), "bounds84": FOUR_NUMBERS,
    "tileCount": Num(0, integer=True), "attribution": Null(examiner_text(2000)), "name": Null(examiner_text(500)),
}
REFERENCE_MARKED = AnyOf(
    {
        "sha256": HEX[64], "kind": OneOf("scene"), "provider": required_text(200), "sceneId": examiner_text(300),
        "acquiredOn": CALENDAR_DATE,
        "bands": Arr({"band": Num(1, 1000, integer=True), "role": BAND_ROLES, "label": examiner_text(100)}, 64),
        "note": examiner_text(4000), "fileTags": SCENE_TAGS,
    },
    {
        "sha256": HEX[64], "kind": OneOf("basemap"), "provider": required_text(200), "note": examiner_text(4000),
        "fileTags": BASEMAP_TAGS,
    },
)
CLAIM = {
    "source": OneOf("metadata", "uploader", "caption", "post-time", "other"), "location": Null(LATLON),
    "placeName": Null(examiner_text(500)), "time": Null(INSTANT), "detail": examiner_text(2000),
}
PLACE = AnyOf(
    {"shape": OneOf("point"), "lat": Num(-90, 90), "lon": Num(-180, 180)},
    {"shape": OneOf("area"), "ring": Arr(LATLON, 500, min=3)},
)
PIXEL_COORD = Num(0, 1_000_000)
FRAME_POINT = {"image": DERIVED_OR_ORIGINAL, "x": PIXEL_COORD, "y": PIXEL_COORD, "timestampS": Null(Num(0))}
LAYER_REF = {
    "kind": OneOf("scene", "basemap", "tiles"), "sha256": Null(HEX[64]), "provider": examiner_text(200),
    "sceneId": Null(examiner_text(300)), "date": Null(CALENDAR_DATE), "template": Null(examiner_text(2000)),
}
CONFIDENCE = OneOf("verified", "strong-possibility", "possible", "unverified", "false")


def located_rules(p):
    """A located item has a place, a precision and a confidence and no reason it cannot be geolocated;
    one that cannot be geolocated has none of those three and says why."""
    if p["outcome"] == "located":
        return None not in (p["place"], p["precision"], p["confidence"]) and p["cannotReason"] is None
    return (p["place"], p["precision"], p["confidence"]) == (None, None, None) and (
        p["cannotReason"] is not None and js_trim(p["cannotReason"]) != "")


GEOLOCATION_PROPOSED = Where({
    "sha256": HEX[64], "replaces": Null(EVENT_REF), "claims": Arr(CLAIM, 20),
    "outcome": OneOf("located", "cannot-geolocate"), "place": Null(PLACE),
    "precision": Null({"class": OneOf("exact", "vicinity", "locality", "radius"),
                       "radiusM": Num(above=0, high=1_000_000)}),
    "confidence": Null(CONFIDENCE), "cannotReason": Null(examiner_text(4000)),
    "clues": Arr({"what": required_text(200), "frame": FRAME_POINT, "map": LATLON, "layer": LAYER_REF}, 100),
    "eliminated": Arr({"place": required_text(500), "location": Null(LATLON), "why": required_text(2000)}, 100),
    "method": examiner_text(20_000), "sensitive": bool,
    "snapshot": Null({"path": Text(300), "sha256": HEX[64]}),
}, located_rules)
GEOLOCATION_REVIEWED = {
    "sha256": HEX[64], "geolocation": EVENT_REF, "verdict": OneOf("agree", "disagree"), "reason": required_text(4000),
}


def _in_order(w):
    start, end = instant_ms(w["from"]), instant_ms(w["to"])
    return start is not None and end is not None and start <= end


TIME_WINDOW = Where({"from": INSTANT, "to": INSTANT}, _in_order)
PIXEL = {"x": PIXEL_COORD, "y": PIXEL_COORD}
CHRONOLOCATION_RECORDED = {
    "sha256": HEX[64], "replaces": Null(EVENT_REF), "place": LATLON, "date": CALENDAR_DATE,
    "claims": Arr(CLAIM, 20), "window": Null(TIME_WINDOW),
    "shadows": Arr({
        "frame": {"image": DERIVED_OR_ORIGINAL, "timestampS": Null(Num(0))}, "what": required_text(200),
        "object": Null({"base": PIXEL, "top": PIXEL}), "knownHeightM": Null(Num(above=0, high=10_000)),
        "shadow": {"base": PIXEL, "tip": PIXEL}, "ratio": Num(above=0, high=1000),
        "shadowBearingDeg": Null(Num(0, 360)), "elevationDeg": Num(0, 90), "windows": Arr(TIME_WINDOW, 8),
    }, 20),
    "sunModel": {"name": Text(64), "version": Text(64)}, "method": examiner_text(20_000),
}
GEOLOCATIONS_EXPORTED = {
    "format": OneOf("geojson", "kml", "csv"), "path": EXPORT_PATH, "sha256": HEX[64], "size": Num(0, integer=True),
    "geolocations": Arr(EVENT_REF, 100_000), "sensitive": OneOf("rounded", "omitted", "included"), "head": EVENT_REF,
    "tool": {"name": Text(128), "version": Text(128)},
}
# A map snapshot's params are recorded as the page sent them, except a dNBR layer's `resampling`
# (SnapshotResamplingSchema): which scene was resampled onto which scene's grid, and how.
EPSG_CODE = Num(1, 999_999, integer=True)
SCENE_ON_DATE = {"sha256": HEX[64], "date": CALENDAR_DATE}
SNAPSHOT_RESAMPLING = {
    "resampled": SCENE_ON_DATE, "onto": SCENE_ON_DATE,
    "grid": {
        "epsg": EPSG_CODE, "pixelSize": Tuple(Num(above=0, high=10_000_000), Num(above=0, high=10_000_000)),
        "width": Num(1, 10_000_000, integer=True), "height": Num(1, 10_000_000, integer=True),
    },
    "fromEpsg": EPSG_CODE, "method": OneOf("nearest", "bilinear"),
}


def _snapshot_resampling_fits(payload):
    layers = payload["params"].get("layers")
    if payload["role"] != "map-snapshot" or not isinstance(layers, list):
        return True
    return all(fits(layer["resampling"], SNAPSHOT_RESAMPLING) for layer in layers
               if isinstance(layer, dict) and "resampling" in layer)


PAYLOADS["derivative.created"] = Where(PAYLOADS["derivative.created"], _snapshot_resampling_fits)

PAYLOADS.update({
    "reference.marked": REFERENCE_MARKED,
    "geolocation.proposed": GEOLOCATION_PROPOSED,
    "geolocation.reviewed": GEOLOCATION_REVIEWED,
    "chronolocation.recorded": CHRONOLOCATION_RECORDED,
    "geolocations.exported": GEOLOCATIONS_EXPORTED,
})


# --- Custody reports (shared/ledger/reportEvents.ts) ---------------------------------------

REPORT_GENERATED = {
    "format": OneOf("pdf", "html", "json", "csv"), "path": EXPORT_PATH, "sha256": HEX[64],
    "size": Num(0, integer=True), "head": EVENT_REF,
    "scope": AnyOf({"kind": OneOf("case")}, {"kind": OneOf("items"), "items": Arr(HEX[64], 100_000, min=1)}),
    "choices": {"sensitive": OneOf("rounded", "withheld", "exact"), "graphic": OneOf("veiled", "shown")},
    "verification": {"isClean": bool, "problemCount": Num(0, integer=True)},
    "reportFormatVersion": POSITIVE_INT,
    "tool": {"name": Where(Text(128), lambda t: len(t) > 0), "version": Text(128)},
}
PAYLOADS["report.generated"] = REPORT_GENERATED

# --- Cases that travel (shared/ledger/exchangeEvents.ts) ---------------------------------

PLAIN_FILE_NAME = Where(Text(255), lambda t: len(t) > 0 and re.search(r"[/\\\u0000-\u001f\u007f]", t) is None)
EXCHANGE_FILE = {"name": PLAIN_FILE_NAME, "sha256": HEX[64], "size": Num(0, integer=True)}
EXCHANGE_TOOL = {"name": Where(Text(128), lambda t: len(t) > 0), "version": Text(128)}
EXCHANGE_SCOPE = OneOf("case", "items")
PAYLOADS.update({
    "bundle.exported": {
        "file": EXCHANGE_FILE, "head": EVENT_REF, "scope": EXCHANGE_SCOPE, "items": Arr(HEX[64], 100_000),
        "fileCount": Num(0, integer=True), "payloadBytes": Num(0, integer=True), "tool": EXCHANGE_TOOL,
    },
    "bundle.opened": {
        "file": EXCHANGE_FILE, "head": EVENT_REF, "fileCount": Num(0, integer=True),
        "payloadBytes": Num(0, integer=True), "tool": EXCHANGE_TOOL,
    },
    "bag.exported": {
        "name": PLAIN_FILE_NAME, "head": EVENT_REF, "scope": EXCHANGE_SCOPE, "items": Arr(HEX[64], 100_000),
        "payloadOxum": re.compile(r"\d{1,20}\.\d{1,12}", re.ASCII), "manifestSha256": HEX[64], "tagManifestSha256": HEX[64],
        "tool": EXCHANGE_TOOL,
    },
})

# --- Where and when across events (shared/ledger/geoVerify.ts) ---------------------------

GEO_TYPES = ("reference.marked", "geolocation.proposed", "geolocation.reviewed", "chronolocation.recorded",
             "geolocations.exported")


class GeoChecks:
    """Reviews, revisions and exports name earlier records of the right type and item, and a record is
    revised once; a review is by a second examiner; a proposal's snapshot is an earlier map-snapshot
    derivative; frame points are on the item or its derivatives, clue layers on marked reference imagery;
    items were imported."""

    def __init__(self):
        self.records = {}  # event hash -> (seq, type, item sha256, actor) of proposals and chronolocations
        self.snapshots = set()  # (parent, path, sha256) of map-snapshot derivatives so far
        self.replaced_by = {}  # hash of a revised record -> seq of the revision
        self.reference_kinds = {}  # item sha256 -> "scene" or "basemap", as last marked
        self.exports = {}  # path -> (line, payload); a later event for the same path supersedes

    def check(self, event, number, items, derived, trusted, report):
        kind, payload, where = event["type"], event["payload"], f"line {number}"
        if kind == "geolocations.exported":
            for ref in payload["geolocations"]:
                self.follow(ref, "geolocation.proposed", None, where, report)
            self.exports[payload["path"]] = (number, payload)
            return
        sha = payload["sha256"]
        if sha not in items:
            report.problem(where, f"{kind} names item {sha[:12]}..., which was never imported", "geo-item-unknown")
        frames_of = lambda what, image: self.frame_on(image, what, sha, derived, where, report)
        if kind == "reference.marked" and sha in items:
            self.reference_kinds[sha] = payload["kind"]
        if kind == "geolocation.proposed":
            if payload["replaces"] is not None:
                self.revise(payload["replaces"], event["seq"], kind, sha, where, report)
            for i, clue in enumerate(payload["clues"], 1):
                if sha in items:
                    frames_of(f"clue {i}", clue["frame"]["image"])
                self.layer_of(clue["layer"], f"clue {i}", where, report)
            snapshot = payload["snapshot"]
            if snapshot is not None and (sha, snapshot["path"], snapshot["sha256"]) not in self.snapshots:
                report.problem(where, f"its snapshot {snapshot['path']!r} is no earlier map-snapshot of the item",
                               "geo-snapshot-unknown")
        elif kind == "geolocation.reviewed":
            reviewed = self.follow(payload["geolocation"], "geolocation.proposed", sha, where, report)
            if reviewed is not None and reviewed[3] == event["actor"]:
                name = trusted.get(event["actor"], {}).get("name", event["actor"])
                report.problem(where, f"{name} reviews their own geolocation", "geolocation-self-review")
        elif kind == "chronolocation.recorded":
            if payload["replaces"] is not None:
                self.revise(payload["replaces"], event["seq"], kind, sha, where, report)
            for i, shadow in enumerate(payload["shadows"], 1):
                if sha in items:
                    frames_of(f"shadow {i}", shadow["frame"]["image"])
        if kind in ("geolocation.proposed", "chronolocation.recorded"):
            self.records[event["hash"]] = (event["seq"], kind, sha, event["actor"])

    def revise(self, ref, seq, kind, sha, where, report):
        if self.follow(ref, kind, sha, where, report) is None:
            return
        if ref["hash"] in self.replaced_by:
            report.problem(where, f"revises event {ref['seq']}, which event {self.replaced_by[ref['hash']]} already "
                                  "revised", "geo-reference-broken")
        else:
            self.replaced_by[ref["hash"]] = seq

    @staticmethod
    def frame_on(image, what, sha, derived, where, report):
        """A frame point is on the original or on a derivative of the same item (the latest event per path)."""
        if image != "original" and not (image in derived and derived[image][1]["parent"] == sha):
            report.problem(where, f"{what} is on {image!r}, not a derivative of its item", "geo-reference-broken")

    def layer_of(self, layer, what, where, report):
        """Online tiles name no item; a scene or basemap names an item marked as one."""
        if layer["kind"] == "tiles":
            wrong = layer["sha256"] is not None
        else:
            wrong = layer["sha256"] is None or self.reference_kinds.get(layer["sha256"]) != layer["kind"]
        if wrong:
            report.problem(where, f"{what} is matched on a {layer['kind']} layer that is not such reference imagery",
                           "geo-reference-broken")

    def follow(self, ref, kind, sha, where, report):
        """The earlier record `ref` names when it is a `kind` (of item `sha`, unless None), else reported."""
        found = self.records.get(ref["hash"])
        if found is None or found[0] != ref["seq"]:
            why = "no earlier event has that seq and hash"
        elif found[1] != kind:
            why = f"it is a {found[1]}"
        elif sha is not None and found[2] != sha:
            why = f"it is about item {found[2][:12]}..."
        else:
            return found
        report.problem(where, f"names event {ref['seq']} as a {kind}, but {why}", "geo-reference-broken")
        return None


# --- Keys and signatures -------------------------------------------------------------------


def canonical_base64(text, length):
    """The bytes of padded base64 `text` when it is the one canonical encoding of `length` bytes, else None."""
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", text):
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    if len(raw) != length or base64.b64encode(raw).decode("ascii") != text:
        return None
    return raw


def key_id_for(public_key_b64):
    return "ed25519:" + hashlib.sha256(public_key_b64.encode("utf-8")).hexdigest()[:32]


def key_problem(examiner):
    """Why an examiner record cannot be a trusted key, or None."""
    der = canonical_base64(examiner["publicKey"], len(ED25519_SPKI_HEADER) + 32)
    if der is None or not der.startswith(ED25519_SPKI_HEADER):
        return "its publicKey is not an Ed25519 SubjectPublicKeyInfo"
    if examiner["keyId"] != key_id_for(examiner["publicKey"]):
        return f"its keyId {examiner['keyId']} does not belong to its publicKey"
    return None


class Signatures:
    def __init__(self, folder):
        self.folder, self.files = folder, {}

    def ok(self, public_key_b64, hash_hex, signature):
        pub = self.files.get(public_key_b64)
        if pub is None:
            pub = self.files[public_key_b64] = os.path.join(self.folder, f"key{len(self.files)}.der")
            with open(pub, "wb") as f:
                f.write(base64.b64decode(public_key_b64))
        msg, sig = os.path.join(self.folder, "msg"), os.path.join(self.folder, "sig")
        with open(msg, "wb") as f:
            f.write(bytes.fromhex(hash_hex))
        with open(sig, "wb") as f:
            f.write(signature)
        run = subprocess.run(
            ["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", pub, "-rawin", "-in", msg]
            + ["-sigfile", sig],
            capture_output=True,
        )
        return run.returncode == 0


# --- The folder's shape (caseLayout.ts) ----------------------------------------------------

# The fixed entries of a case: (path, what it must be, whether it must exist).
LAYOUT = (
    ("case.json", "file", True),
    ("ledger.jsonl", "file", True),
    ("ledger.jsonl.lock", "folder", False),
    ("objects", "folder", False),
    ("objects/sha256", "folder", False),
    ("derived", "folder", False),
    ("exports", "folder", False),
    ("tmp", "folder", False),
    ("recovered", "folder", False),
    ("timestamps", "folder", False),
)
# Folders whose entries must all be real folders with such names.
NAMED_FOLDERS = (
    ("objects/sha256", SHARD, "a vault shard folder (two hex digits)"),
    ("derived", HEX64, "an item's folder (its SHA-256)"),
)


def _kind(st):
    if stat.S_ISLNK(st.st_mode):
        return "a symbolic link"
    if stat.S_ISREG(st.st_mode):
        return "a file"
    if stat.S_ISDIR(st.st_mode):
        return "a folder"
    return "a special file (FIFO, socket or device)"


def behind(flagged, rel):
    """Whether rel is, or lies below, a path the layout check flagged."""
    return any(rel == f or rel.startswith(f + "/") for f in flagged)


def layout_faults(case):
    """[(case-relative path, reason)]: every way the folder differs from the shape Sightline writes.
    Reads names only (os.lstat, never following a link); nothing below a flagged path is examined.
    Entries inside shard folders are left to the object checks (not regular, or unreferenced)."""
    faults = []
    flagged = lambda rel: behind([f for f, _ in faults], rel)
    for rel, expected, required in LAYOUT:
        if flagged(rel):
            continue
        try:
            st = os.lstat(os.path.join(case, rel))
        except FileNotFoundError:
            if required:
                faults.append((rel, "is missing"))
            continue
        except OSError as error:
            faults.append((rel, f"cannot be examined ({error.strerror})"))
            continue
        if _kind(st) != f"a {expected}":
            faults.append((rel, f"is {_kind(st)}, not a {expected}"))
    # A link among shard or item folders would lead every object or derivative in it out of the case.
    for folder, name, what in NAMED_FOLDERS:
        if flagged(folder):
            continue
        try:
            entries = sorted(os.listdir(os.path.join(case, folder)))
        except OSError:
            continue  # absent: nothing in it to check
        for entry in entries:
            rel = f"{folder}/{entry}"
            try:
                st = os.lstat(os.path.join(case, rel))
            except FileNotFoundError:
                continue
            except OSError as error:
                faults.append((rel, f"cannot be examined ({error.strerror})"))
                continue
            if stat.S_ISLNK(st.st_mode):
                faults.append((rel, "is a symbolic link"))
            elif not stat.S_ISDIR(st.st_mode):
                faults.append((rel, f"is {_kind(st)} where only folders belong"))
            elif not name.fullmatch(entry):
                faults.append((rel, f"is not {what}"))
    return faults


# --- Files in the case folder, never followed out of it ------------------------------------


def lstat_inside(case, rel):
    """lstat of case/rel, or "missing", or "not-regular" when any folder on the way is not a real folder."""
    parts = rel.split("/")
    here = case
    for i, part in enumerate(parts):
        here = os.path.join(here, part)
        try:
            st = os.lstat(here)
        except FileNotFoundError:
            return "missing"
        except OSError:
            return "not-regular"
        if i < len(parts) - 1 and not stat.S_ISDIR(st.st_mode):
            return "missing" if not stat.S_ISLNK(st.st_mode) else "not-regular"
    return st


def open_regular(case, rel):
    """case/rel opened for reading when it is a regular file reached through real folders, else the reason:
    "missing" or "not-regular". Never follows a link, never blocks on a FIFO."""
    st = lstat_inside(case, rel)
    if isinstance(st, str):
        return st
    if not stat.S_ISREG(st.st_mode):
        return "not-regular"
    try:
        fd = os.open(os.path.join(case, rel), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "not-regular"
    f = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        f.close()
        return "not-regular"
    return f


def digest_file(case, rel, flagged=()):
    """{"size", "sha256", "md5", "sha1"} of a regular file, or "missing" / "not-regular", or "behind-flagged"
    when it lies below a folder the layout check flagged (it is never opened)."""
    if behind(flagged, os.path.dirname(rel)):
        return "behind-flagged"
    f = open_regular(case, rel)
    if isinstance(f, str):
        return f
    hashers = {name: hashlib.new(name) for name in ("sha256", "md5", "sha1")}
    size = 0
    with f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            size += len(chunk)
            for h in hashers.values():
                h.update(chunk)
    return {"size": size, **{name: h.hexdigest() for name, h in hashers.items()}}


def files_under(case, rel, flagged=()):
    """Case-relative paths of everything but real folders below case/rel (not followed into links),
    leaving out what the layout check flagged and everything below it."""
    top = os.path.join(case, rel)
    st = lstat_inside(case, rel)
    if isinstance(st, str) or not stat.S_ISDIR(st.st_mode) or behind(flagged, rel):
        return []
    found = []
    relative = lambda root, name: os.path.relpath(os.path.join(root, name), case).replace(os.sep, "/")
    for root, dirs, names in os.walk(top):
        linked = [d for d in dirs if os.path.islink(os.path.join(root, d))]
        dirs[:] = [d for d in dirs if d not in linked and relative(root, d) not in flagged]
        for name in names + linked:
            if relative(root, name) not in flagged:
                found.append(relative(root, name))
    return sorted(found)


def interrupted_objects(case):
    """Object paths named by tmp/*.intent files, read as the next writer reads them."""
    named = set()
    st = lstat_inside(case, "tmp")
    if isinstance(st, str) or not stat.S_ISDIR(st.st_mode):
        return named
    for name in sorted(os.listdir(os.path.join(case, "tmp"))):
        if not name.endswith(".intent"):
            continue
        f = open_regular(case, f"tmp/{name}")
        if isinstance(f, str):
            continue
        with f:
            for line in f.read(1 << 20).split(b"\n"):
                text = line.decode("ascii", "replace")
                if OBJECT_PATH.fullmatch(text):
                    named.add(text)
    return named


# --- The check -----------------------------------------------------------------------------


class Report:
    def __init__(self):
        self.problems, self.notices = [], []

    def problem(self, where, reason, code):
        self.problems.append(f"PROBLEM {printable(where)}: {reason} [{code}]")

    def notice(self, where, reason, code):
        self.notices.append(f"NOTICE {printable(where)}: {reason} [{code}]")


def printable(where):
    """A file name that is not UTF-8 printed as verify prints it (U+FFFD for each bad byte), not a crash."""
    return where.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def read_event(raw, number, report):
    """The event on one line, or None (reported) when the line cannot be read as one."""
    where = f"line {number}"
    if raw == b"":
        report.problem(where, "blank line", "ledger-malformed-line")
        return None
    try:
        event = parse_strict(raw)
    except Refused as refused:
        report.problem(where, refused.reason, refused.code)
        return None
    if not isinstance(event, dict):
        report.problem(where, "not a JSON object", "ledger-malformed-line")
        return None
    unknown = sorted(set(event) - set(FIELDS))
    if unknown:  # reported; the nine fields are still checked
        report.problem(where, f"fields no signature covers: {', '.join(map(repr, unknown))}", "event-field-unknown")
    missing = [f for f in FIELDS if f not in event]
    seq = event.get("seq")
    if missing:
        reason = f"fields missing: {', '.join(missing)}"
    # Only a plain integer literal reads as int: 1.0 and 1e0 (floats), -0, "1" and true are refused.
    elif type(seq) is not int or seq < 0:
        reason = "seq is not a non-negative integer"
    elif not (isinstance(event["hash"], str) and HEX64.fullmatch(event["hash"])):
        reason = "hash is not 64 lower-case hex digits"
    elif not (
        (event["prev"] is None and number == 1) or (isinstance(event["prev"], str) and HEX64.fullmatch(event["prev"]))
    ):
        reason = "prev is not 64 lower-case hex digits" + (" (null is for line 1 only)" if number > 1 else "")
    elif not all(isinstance(event[f], str) and event[f] for f in ("id", "ts", "actor")):
        reason = "id, ts and actor must be non-empty strings"
    elif not (isinstance(event["type"], str) and re.fullmatch(r"[a-z]+(\.[a-z]+)+", event["type"])):
        reason = "type is not an event type name"
    elif not isinstance(event["payload"], dict):
        reason = "payload is not an object"
    else:
        return event
    report.problem(where, reason, "ledger-malformed-line")
    return None


# --- Trusted timestamps (shared/ledger/timestampEvents.ts) -------------------------------------

TIMESTAMP_TYPES = ("timestamp.requested", "timestamp.recorded")
TSA_URL = re.compile(r"https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?")
TOKEN_PATH = re.compile(r"timestamps/\d{1,15}-[0-9a-f]{64}(-[1-9]\d{0,3})?\.tsr", re.ASCII)
PAYLOADS["timestamp.requested"] = {
    "head": EVENT_REF, "tsaUrl": Where(Text(2000), lambda t: TSA_URL.fullmatch(t) is not None),
    "imprint": HEX[64], "nonce": HEX[32], "reason": examiner_text(500),
}
PAYLOADS["timestamp.recorded"] = {
    "head": EVENT_REF, "request": Null(EVENT_REF),
    "tsaUrl": Where(Text(2000), lambda t: TSA_URL.fullmatch(t) is not None),
    "imprint": HEX[64], "nonce": HEX[32],
    "token": {"path": TOKEN_PATH, "sha256": HEX[64], "size": Num(above=0, integer=True)},
    "genTime": INSTANT, "serial": re.compile(r"[0-9a-f]{1,128}"), "tsaName": examiner_text(1000),
    "policy": re.compile(r"\d+(\.\d+){1,63}", re.ASCII), "signerCertSha256": HEX[64], "anchorSha256": HEX[64],
}
# A CASE/UCO export (shared/exchange/caseUcoEvent.ts): its copy in exports/ (`path`, absent before
# exports were kept in the case) is re-hashed; compare any copy you hold with `file`.
PAYLOADS["uco.exported"] = {
    "file": {"name": Where(Text(255), lambda t: re.search(r"[/\\\x00-\x1f\x7f]", t) is None and t != ""),
             "sha256": HEX[64], "size": Num(0, integer=True)},
    "path": Opt(EXPORT_PATH),
    "head": EVENT_REF, "ontology": {"case": Text(32), "uco": Text(32)},
    "itemCount": Num(0, integer=True), "actionCount": Num(0, integer=True), "tool": TOOL,
}
OID_SIGNED_DATA = bytes.fromhex("2a864886f70d010702")
OID_TST_INFO = bytes.fromhex("2a864886f70d0109100104")


def der_element(data, pos):
    """(tag, start, end) of the DER element at `pos`: its tag byte and where its content lies."""
    if pos + 2 > len(data):
        raise ValueError("truncated")
    tag, length, pos = data[pos], data[pos + 1], pos + 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise ValueError("not DER (indefinite or oversized length)")
        length, pos = int.from_bytes(data[pos:pos + count], "big"), pos + count
    if pos + length > len(data):
        raise ValueError("truncated")
    return tag, pos, pos + length


def der_children(data, element):
    out, pos = [], element[1]
    while pos < element[2]:
        child = der_element(data, pos)
        out.append(child)
        pos = child[2]
    return out


def tst_info(token):
    """{imprint, genTime (ms), serial, nonce} from a TimeStampToken, read only as far as RFC 3161 needs:
    ContentInfo -> SignedData -> encapContentInfo (id-ct-TSTInfo) -> TSTInfo. The CMS signature and the
    authority's chain are not checked here: `openssl ts -verify` does that (docs/LEDGER.md)."""
    content_info = der_children(token, der_element(token, 0))
    if token[content_info[0][1]:content_info[0][2]] != OID_SIGNED_DATA:
        raise ValueError("not CMS SignedData")
    signed = der_children(token, der_element(token, content_info[1][1]))
    encap = der_children(token, signed[2])
    if token[encap[0][1]:encap[0][2]] != OID_TST_INFO:
        raise ValueError("does not hold a TSTInfo")
    fields = der_children(token, der_element(token, der_element(token, encap[1][1])[1]))
    imprint = der_children(token, fields[2])[1]
    gen = token[fields[4][1]:fields[4][2]].decode("ascii")
    m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d+))?Z", gen, re.ASCII)
    if not m:
        raise ValueError(f"genTime {gen!r} is not a UTC GeneralizedTime")
    gen_ms = instant_ms(f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}.{(m[7] or '0')[:3]}Z")
    hex_int = lambda f: re.sub(r"^(00)+(?=.)", "", token[f[1]:f[2]].hex())  # noqa: E731  (as the event writes it)
    nonce = next((f for f in fields[5:] if f[0] == 0x02), None)
    return {
        "imprint": token[imprint[1]:imprint[2]].hex(), "genTime": gen_ms, "serial": hex_int(fields[3]),
        "nonce": hex_int(nonce) if nonce else None,
    }


class TimestampChecks:
    """The heads timestamps name are earlier events of this ledger; each token's file, imprint, nonce and
    genTime are what its event says; a request no token answers is pending (a notice)."""

    def __init__(self):
        self.seen = {}  # seq -> (hash, ts) of every event read so far
        self.requests = {}  # (seq, hash) -> (line, payload)
        self.answered = set()
        self.tokens = {}  # path -> (line, payload, head ts)

    def check(self, event, number, report):
        p, where = event["payload"], f"line {number}"
        head = self.seen.get(p["head"]["seq"])
        if p["head"]["seq"] >= event["seq"] or head is None or head[0] != p["head"]["hash"]:
            report.problem(where, "names a head that is not an earlier event of this ledger", "timestamp-head-unknown")
            return
        if event["type"] == "timestamp.requested":
            self.requests[(event["seq"], event["hash"])] = (number, p)
            return
        if p["request"] is not None:
            asked = self.requests.get((p["request"]["seq"], p["request"]["hash"]))
            if asked is None or asked[1]["head"] != p["head"] or asked[1]["nonce"] != p["nonce"]:
                report.problem(where, "answers no earlier request for the same head and nonce",
                               "timestamp-reference-broken")
            else:
                self.answered.add((p["request"]["seq"], p["request"]["hash"]))
        self.tokens[p["token"]["path"]] = (number, p, head[1])

    def check_tokens(self, case, report, flagged):
        for key, (number, p) in self.requests.items():
            if key not in self.answered:
                report.notice(f"line {number}", "a timestamp request never sent; it proves no time", "timestamp-pending")
        named = {path: (number, p["token"]) for path, (number, p, _) in self.tokens.items()}
        check_named_files(case, "timestamps", "timestamp", named, report, flagged,
                          "a timestamp interrupted before it was recorded, or a file added by hand")
        for path, (number, p, head_ts) in sorted(self.tokens.items()):
            found = digest_file(case, path, flagged)
            if not isinstance(found, dict) or found["sha256"] != p["token"]["sha256"]:
                continue  # reported above
            with open_regular(case, path) as f:
                token = f.read()
            try:
                info = tst_info(token)
            except (ValueError, IndexError, UnicodeDecodeError) as error:
                report.problem(path, f"not a readable RFC 3161 token ({error})", "timestamp-invalid")
                continue
            expected = hashlib.sha256(bytes.fromhex(p["head"]["hash"])).hexdigest()
            if info["imprint"] != expected or info["imprint"] != p["imprint"]:
                report.problem(path, f"does not imprint head {p['head']['seq']} (line {number})",
                               "timestamp-imprint-mismatch")
            if info["nonce"] != p["nonce"] or info["serial"] != p["serial"] or info["genTime"] != instant_ms(p["genTime"]):
                report.problem(path, f"holds a nonce, serial or genTime other than line {number} recorded",
                               "timestamp-invalid")
            # Compared to the second: genTime need be no finer (RFC 3161 2.4.2) and may be truncated.
            if info["genTime"] is None or info["genTime"] // 1000 < instant_ms(head_ts) // 1000:
                report.problem(path, "issued before the event it covers was written", "timestamp-time-invalid")


# --- Training exercises (shared/ledger/trainingEvents.ts, shared/training/exerciseVerify.ts) -----

SAMPLE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
NON_EMPTY = lambda max: Where(Text(max), lambda t: len(t) > 0)  # noqa: E731
BRIEFING = {
    "task": required_text(4000), "claims": Arr(required_text(1000), 20),
    "timeAllowedMinutes": Null(Num(1, 7 * 24 * 60, integer=True)),
}
PAYLOADS.update({
    "exercise.started": {
        "sample": {"id": SAMPLE_ID, "title": required_text(200), "manifestSha256": HEX[64]},
        "briefing": BRIEFING, "hintTitles": Arr(NON_EMPTY(200), 20), "answerKeySha256": HEX[64],
        "trainee": NON_EMPTY(200),
    },
    "hint.opened": {"index": Num(0, 19, integer=True), "title": NON_EMPTY(200), "text": NON_EMPTY(4000)},
    "exercise.submitted": {"head": EVENT_REF, "minutesTaken": Num(0), "hintsOpened": Num(0, 20, integer=True)},
    "exercise.scored": {
        "submission": EVENT_REF, "answerKeySha256": HEX[64], "scorecard": dict, "points": float,
        "maxPoints": Num(above=0), "scoringVersion": POSITIVE_INT,
    },
    "scorecard.exported": {
        "format": OneOf("pdf", "json", "html"), "path": EXPORT_PATH, "sha256": HEX[64],
        "size": Num(0, integer=True), "scored": EVENT_REF,
    },
    "sample.authored": {
        "id": SAMPLE_ID, "title": required_text(200), "fileName": NON_EMPTY(255), "sha256": HEX[64],
        "size": POSITIVE_INT, "manifestSha256": HEX[64], "answerKeySha256": HEX[64],
        "items": Arr(HEX[64], 10_000, min=1),
    },
})
AFTER_SUBMISSION = ("exercise.scored", "scorecard.exported", "verification.run", "report.generated",
                    "timestamp.requested", "timestamp.recorded", "ledger.recovered")


class ExerciseChecks:
    """One exercise.started, right after case.created; hints only among those it named; one submission,
    after which only AFTER_SUBMISSION types may follow (the freeze); a score against the key it started with."""

    def __init__(self):
        self.started = None  # (line, hint count, answer key sha256)
        self.submitted = None  # line

    def check(self, event, number, fits_payload, report):
        kind, p, where = event["type"], event["payload"], f"line {number}"
        if self.submitted is not None and kind not in AFTER_SUBMISSION:
            report.problem(where, f"{kind} after the exercise was submitted (line {self.submitted}): "
                           "submitted work is frozen", "exercise-frozen")
        if not fits_payload:
            return
        if kind == "exercise.started":
            if self.started is not None:
                report.problem(where, f"a second exercise.started (the first is line {self.started[0]})",
                               "exercise-repeated")
                return
            if event["seq"] != 1:
                report.problem(where, "an exercise starts right after case.created", "exercise-misplaced")
            self.started = (number, len(p["hintTitles"]), p["answerKeySha256"])
        elif kind == "hint.opened":
            count = self.started[1] if self.started else 0
            if p["index"] >= count:
                report.problem(where, f"opens hint {p['index'] + 1}, but the exercise has {count}",
                               "hint-beyond-count")
        elif kind == "exercise.submitted":
            if self.started is None:
                report.problem(where, "submits an exercise this case never started", "exercise-misplaced")
            elif self.submitted is not None:
                report.problem(where, f"submits the exercise again (first on line {self.submitted})",
                               "exercise-repeated")
            else:
                self.submitted = number
        elif kind == "exercise.scored":
            if self.submitted is None:
                report.problem(where, "scores an exercise that was not submitted", "exercise-misplaced")
            elif p["answerKeySha256"] != self.started[2]:
                report.problem(where, "scored against an answer key other than the one the exercise started with",
                               "exercise-key-mismatch")


def check(case):
    report = Report()
    flagged = set()
    for rel, reason in layout_faults(case):
        report.problem(rel, f"{reason}; it is not read or followed", "case-layout-invalid")
        flagged.add(rel)
    ledger = open_regular(case, "ledger.jsonl")
    if isinstance(ledger, str):
        report.problem("ledger.jsonl", "missing" if ledger == "missing" else "not a regular file", "ledger-missing")
        return report, [], {}, {}, None
    with ledger:
        data = ledger.read()
    raw_lines = data.split(b"\n")
    tail = raw_lines.pop()  # the bytes after the last LF: b"" when the last append finished
    if tail:
        report.problem(
            f"line {len(raw_lines) + 1}",
            f"an unfinished append ({len(tail)} bytes after the last line end); the next writer moves it to recovered/",
            "ledger-torn-tail",
        )
    if not raw_lines:
        report.problem("ledger.jsonl", "the ledger has no complete event", "ledger-empty")

    events, faulted = [], set()  # lines with a fault grant no trust, even when they are read
    for number, raw in enumerate(raw_lines, 1):
        before = len(report.problems)
        events.append(read_event(raw, number, report))
        if len(report.problems) > before:
            faulted.add(number)
    later = {}
    for e in events:
        if e:
            later[e["seq"]] = later.get(e["seq"], 0) + 1

    trusted = {}  # keyId -> {keyId, name, publicKey}
    genesis = None
    objects = {}  # objectPath -> [(line, payload)]
    derived = {}  # path -> (line, payload); a later event for the same path supersedes
    items = set()
    geo = GeoChecks()
    stamps = TimestampChecks()
    exercise = ExerciseChecks()
    previous, expected = None, 0
    with tempfile.TemporaryDirectory() as tmp:
        signatures = Signatures(tmp)
        for number, event in enumerate(events, 1):
            where = f"line {number}"
            if event is None:
                previous, expected = None, expected + 1
                continue
            seq, kind, payload = event["seq"], event["type"], event["payload"]
            later[seq] -= 1
            problems_before = len(report.problems)
            # 1. Content against its own hash.
            if hashlib.sha256(canonical({k: event[k] for k in HASHED})).hexdigest() != event["hash"]:
                report.problem(where, "content does not match its hash", "event-hash-mismatch")
            # 2. Genesis, or the link to the line before.
            if number == 1:
                why = None
                if seq != 0 or event["prev"] is not None or kind != "case.created":
                    why = "not a case.created event with seq 0 and no prev"
                elif not fits(payload, PAYLOADS[kind]):
                    why = "its payload does not fit case.created"
                else:
                    why = key_problem(payload["examiner"])
                    if why is None and event["actor"] != payload["examiner"]["keyId"]:
                        why = "it is not signed by the examiner it names"
                if why:
                    report.problem(where, f"not a valid genesis event: {why}", "genesis-invalid")
                else:
                    genesis = payload
                    trusted[payload["examiner"]["keyId"]] = payload["examiner"]
            elif seq != expected:
                if seq < expected or later.get(expected, 0) > 0:
                    report.problem(where, f"holds event {seq} where event {expected} belongs", "event-out-of-order")
                else:
                    report.problem(where, f"events {expected}..{seq - 1} are missing before it", "event-missing")
            elif previous is not None and event["prev"] != previous["hash"]:
                report.problem(where, "does not point to the hash of the event before it", "chain-broken")
            expected = max(expected, seq + 1)
            # 3. Signature: canonical base64 of 64 bytes, by a key the ledger already trusts.
            signer = trusted.get(event["actor"])
            signature = canonical_base64(event["sig"], 64)
            signed = False
            if signature is None:
                report.problem(where, "sig is not canonical base64 of 64 bytes", "signature-malformed")
            elif signer is None:
                report.problem(where, f"signed by {event['actor']}, not an examiner of this case", "signer-unknown")
            elif not signatures.ok(signer["publicKey"], event["hash"], signature):
                report.problem(where, "signature invalid", "signature-invalid")
            else:
                signed = True
            # 4. What the event says.
            if kind not in PAYLOADS:
                report.problem(where, f"event type {kind} is not one this checker knows", "event-type-unknown")
            elif not fits(payload, PAYLOADS[kind]):
                report.problem(where, f"payload does not fit {kind}", "payload-invalid")
            elif kind == "case.created":
                if number != 1:
                    report.problem(where, "a second case.created; it changes nothing", "genesis-repeated")
            elif kind == "examiner.added":
                examiner = payload["examiner"]
                why = key_problem(examiner)
                if why is None and examiner["keyId"] in trusted:
                    why = f"{examiner['keyId']} is already trusted"
                if why:
                    report.problem(where, f"examiner not added: {why}", "examiner-key-invalid")
                elif signed and number not in faulted and len(report.problems) == problems_before:
                    # Trusted only from a line with nothing wrong: hash, signature by a trusted key, link, reading.
                    trusted[examiner["keyId"]] = examiner
            elif kind == "item.imported":
                items.add(payload["sha256"])
                sha = payload["sha256"]
                if payload["objectPath"] != f"objects/sha256/{sha[:2]}/{sha[2:]}":
                    report.problem(
                        where, f"objectPath {payload['objectPath']!r} is not the vault path of its sha256",
                        "object-path-invalid",
                    )
                else:
                    objects.setdefault(payload["objectPath"], []).append((number, payload))
            elif kind == "derivative.created":
                if not payload["path"].startswith(f"derived/{payload['parent']}/") or payload["parent"] not in items:
                    report.problem(
                        where, f"derivative {payload['path']!r} is not in the folder of a known item",
                        "derivative-path-invalid",
                    )
                else:
                    derived[payload["path"]] = (number, payload)
                    if payload["role"] == "map-snapshot":
                        geo.snapshots.add((payload["parent"], payload["path"], payload["sha256"]))
            elif kind in GEO_TYPES:
                geo.check(event, number, items, derived, trusted, report)
            elif kind in ("report.generated", "scorecard.exported"):
                geo.exports[payload["path"]] = (number, payload)  # its copy in exports/ is re-hashed
            elif kind == "uco.exported" and "path" in payload:
                geo.exports[payload["path"]] = (number, {"path": payload["path"], **payload["file"]})
            elif kind in TIMESTAMP_TYPES:
                stamps.check(event, number, report)
            exercise.check(event, number, kind in PAYLOADS and fits(payload, PAYLOADS[kind]), report)
            stamps.seen[seq] = (event["hash"], event["ts"])
            if number == 1 and (number in faulted or len(report.problems) > problems_before):
                trusted.clear()  # a broken genesis trusts no one
                genesis = None
            previous = event

    check_case_file(case, genesis, trusted, report)
    check_objects(case, objects, report, flagged)
    check_derivatives(case, derived, report, flagged)
    check_exports(case, geo.exports, report, flagged)
    stamps.check_tokens(case, report, flagged)
    head = previous if previous is not None else next((e for e in reversed(events) if e), None)
    return report, events, objects, derived, head


def check_case_file(case, genesis, trusted, report):
    if genesis is None:
        return
    f = open_regular(case, "case.json")
    if isinstance(f, str):
        report.problem("case.json", "missing" if f == "missing" else "not a regular file", "case-file-invalid")
        return
    with f:
        try:
            info = parse_strict(f.read())
        except Refused as refused:
            report.problem("case.json", refused.reason, "case-file-invalid")
            return
    if not fits(info, {"formatVersion": int, "id": str, "title": str, "created": str,
                       "hashAlgorithms": [OneOf("sha256", "md5", "sha1")], "examiners": [EXAMINER]}):
        report.problem("case.json", "does not have the fields of case.json", "case-file-invalid")
        return
    if info["id"] != genesis["caseId"]:
        report.problem("case.json", "its id differs from the ledger's", "case-id-mismatch")
    if info["title"] != genesis["title"]:
        report.problem("case.json", "its title differs from the ledger's", "case-title-mismatch")
    listed = {(e["keyId"], e["publicKey"], e["name"]) for e in info["examiners"]}
    if listed != {(e["keyId"], e["publicKey"], e["name"]) for e in trusted.values()}:
        report.problem("case.json", "its examiners are not exactly the keys the ledger trusts", "case-keys-mismatch")


NOT_OPENED = {
    "not-regular": "not a regular file (a link, FIFO, device, ...); not opened",
    "behind-flagged": "lies in a folder that is a link or not a folder; not opened",
}


def check_objects(case, objects, report, flagged):
    for path, acquisitions in sorted(objects.items()):
        found = digest_file(case, path, flagged)
        if found == "missing":
            report.problem(path, "missing", "object-missing")
            continue
        if found in ("not-regular", "behind-flagged"):
            report.problem(path, NOT_OPENED[found], "object-not-regular")
            continue
        if found["sha256"] != acquisitions[0][1]["sha256"]:
            report.problem(path, "bytes do not match the recorded SHA-256", "object-corrupt")
        for number, payload in acquisitions:  # every acquisition, not just the first
            if payload["size"] != found["size"]:
                report.problem(f"line {number}", f"size {payload['size']} but the object has {found['size']} bytes",
                               "object-size-mismatch")
            for algorithm in ("md5", "sha1"):
                if algorithm in payload and payload[algorithm] != found[algorithm]:
                    report.problem(f"line {number}", f"{algorithm} does not match the object", "object-corrupt")
    interrupted = interrupted_objects(case)
    for path in files_under(case, "objects", flagged):
        if path in objects:
            continue
        st = lstat_inside(case, path)
        if path in interrupted and not isinstance(st, str) and stat.S_ISREG(st.st_mode):
            report.notice(path, "left by an interrupted import; the next writer removes it", "import-interrupted")
        else:
            report.problem(path, "not named by any ledger event", "object-unreferenced")


def check_named_files(case, folder, kind, named, report, flagged, left_by):
    """Each file under `folder` an event names (path -> (line, payload), the latest event for a path) against
    the SHA-256 and size that event recorded, as `<kind>-missing`, `-not-regular` and `-corrupt`; a file
    there that no event names is the notice `<kind>-unreferenced` (`left_by` says what leaves such files)."""
    for path, (number, payload) in sorted(named.items()):
        found = digest_file(case, path, flagged)
        if found == "missing":
            report.problem(path, f"missing (named on line {number})", f"{kind}-missing")
        elif found in ("not-regular", "behind-flagged"):
            report.problem(path, NOT_OPENED[found], f"{kind}-not-regular")
        elif found["sha256"] != payload["sha256"] or found["size"] != payload["size"]:
            report.problem(path, f"bytes do not match the SHA-256 and size line {number} recorded", f"{kind}-corrupt")
    for path in files_under(case, folder, flagged):
        if path not in named:
            report.notice(path, f"no event names it ({left_by})", f"{kind}-unreferenced")


def check_derivatives(case, derived, report, flagged):
    check_named_files(case, "derived", "derivative", derived, report, flagged,
                      "an interrupted analysis leaves such files")


def check_exports(case, exports, report, flagged):
    check_named_files(case, "exports", "export", exports, report, flagged,
                      "an export interrupted before it was recorded, or a file added by hand")


def check_subset_proof(path):
    """A subset's proof (docs/EXCHANGE.md, "Subset proofs"): one line per event of the full ledger, the
    events of the subset in full and the others as {seq, actor, prev, hash, sig, excluded}. Every line
    links to the one before by prev; an included event's content must give its hash; every signature,
    included or not, must verify with a key the included case.created and examiner.added events trust.
    Returns (the first fault or None, head, number of included events, number of excluded ones)."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.endswith(b"\n"):
        return "the proof does not end with a line end (it is cut short)", None, 0, 0
    trusted, previous, included, excluded = {}, None, 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        signatures = Signatures(tmp)
        for number, raw in enumerate(data.split(b"\n")[:-1], 1):
            where = f"line {number} of the proof"
            try:
                entry = parse_strict(raw)
            except Refused as refused:
                return f"{where}: {refused.reason}", None, included, excluded
            stub = isinstance(entry, dict) and "excluded" in entry
            if stub:
                ok = (set(entry) == {"seq", "actor", "prev", "hash", "sig", "excluded"} and entry["excluded"] is True
                      and type(entry["seq"]) is int and isinstance(entry["actor"], str)
                      and isinstance(entry["hash"], str) and HEX64.fullmatch(entry["hash"]) is not None
                      and (entry["prev"] is None or (isinstance(entry["prev"], str) and HEX64.fullmatch(entry["prev"]))))
                if not ok:
                    return f"{where}: not an excluded-event stub of the format", None, included, excluded
            else:
                report = Report()
                if read_event(raw, number, report) is None or report.problems:
                    return f"{where}: not an event of the format", None, included, excluded
            if entry["seq"] != number - 1:
                return f"{where}: seq is {entry['seq']} where {number - 1} belongs (an event is missing)", None, included, excluded
            if entry["prev"] != (previous["hash"] if previous else None):
                return f"{where}: prev is not the hash of the line before: the chain is broken", None, included, excluded
            if not stub:
                if hashlib.sha256(canonical({k: entry[k] for k in HASHED})).hexdigest() != entry["hash"]:
                    return f"{where}: its content does not give its hash (it was changed)", None, included, excluded
                kind, payload = entry["type"], entry["payload"]
                if kind not in PAYLOADS or not fits(payload, PAYLOADS[kind]):
                    return f"{where}: payload does not fit {kind}", None, included, excluded
                if number == 1:
                    if kind != "case.created" or key_problem(payload["examiner"]) or entry["actor"] != payload["examiner"]["keyId"]:
                        return f"{where}: not a valid genesis event", None, included, excluded
                    trusted[payload["examiner"]["keyId"]] = payload["examiner"]
                elif kind == "case.created":
                    return f"{where}: a second case.created", None, included, excluded
            elif number == 1:
                return f"{where}: the case's creation is withheld; it must be included", None, included, excluded
            signer, signature = trusted.get(entry["actor"]), canonical_base64(entry["sig"], 64)
            if signer is None:
                return f"{where}: signed by {entry['actor']}, a key the included events do not trust", None, included, excluded
            if signature is None or not signatures.ok(signer["publicKey"], entry["hash"], signature):
                return f"{where}: its signature does not verify", None, included, excluded
            if not stub and entry["type"] == "examiner.added":
                examiner = entry["payload"]["examiner"]
                if key_problem(examiner) or examiner["keyId"] in trusted:
                    return f"{where}: an examiner key that is not valid", None, included, excluded
                trusted[examiner["keyId"]] = examiner
            excluded, included = excluded + stub, included + (not stub)
            previous = entry
    if previous is None:
        return "the proof is empty", None, 0, 0
    return None, previous, included, excluded


def subset_main(path):
    fault, head, included, excluded = check_subset_proof(path)
    if fault:
        print(f"PROBLEM {fault} [subset-proof-invalid]")
        print("FAILED: the proof does not hold")
        return 1
    print(f"OK: {included} events included, {excluded} withheld, chained from the case's creation to "
          f"head {head['seq']} {head['hash']}")
    return 0


def main(case):
    report, events, objects, derived, head = check(case)
    for line in report.problems + report.notices:
        print(line)
    print(
        f"{'OK' if not report.problems else 'FAILED'}: {len(events)} events, {len(objects)} objects, "
        f"{len(derived)} derivatives, head " + (f"{head['seq']} {head['hash']}" if head else "none")
    )
    return 0 if not report.problems else 1


def canonical_main():
    try:
        sys.stdout.buffer.write(canonical(parse_strict(sys.stdin.buffer.read())))
    except (Refused, TypeError, ValueError) as error:
        sys.exit(f"not canonicalisable: {error}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--canonical"]:
        sys.exit(canonical_main())
    if len(sys.argv) == 3 and sys.argv[1] == "--subset-proof":
        sys.exit(subset_main(sys.argv[2]))
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit("usage: verify-ledger.py <case-folder>\n       verify-ledger.py --canonical < value.json\n"
                 "       verify-ledger.py --subset-proof <ledger-proof.jsonl>")
    sys.exit(main(sys.argv[1]))
