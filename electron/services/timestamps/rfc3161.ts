/**
 * RFC 3161 with pkijs/asn1js (no hand-written DER): the TimeStampReq over a ledger head, the
 * reading of a TimeStampResp and of the token in it, and the check of a token against the head it
 * should cover and the trust anchors an examiner configured.
 *
 * Imprint: SHA-256 of the 32 raw bytes of the head event's hash (see timestampEvents.ts).
 * Trust: the token's CMS signature is checked with the certificate it carries; that certificate
 * must hold the timeStamping extended key usage, and its chain must end in one of the anchors, at
 * the token's genTime. Without anchors a token can be "signature valid, not trusted" only.
 */
import { createHash, randomBytes } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { TimestampFault } from "./timestampFault.js";

export const ID_KP_TIMESTAMPING = "1.3.6.1.5.5.7.3.8";
const ID_EXT_KEY_USAGE = "2.5.29.37";
const ID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const ID_TST_INFO = "1.2.840.113549.1.9.16.1.4";
const ID_SHA256 = "2.16.840.1.101.3.4.2.1";

export { TimestampFault } from "./timestampFault.js";

const hex = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes as Uint8Array).toString("hex");
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The head hash's raw bytes: what the imprint is the SHA-256 of. */
export function headBytes(headHash: string): Buffer {
  if (!/^[0-9a-f]{64}$/.test(headHash)) throw new TimestampFault("not a ledger event hash");
  return Buffer.from(headHash, "hex");
}

export function imprintOf(headHash: string): string {
  return sha256(headBytes(headHash));
}

/** A nonce of 16 bytes whose first byte is 0x40–0x7f: a positive INTEGER in its minimal DER form. */
export function newNonce(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x3f) | 0x40;
  return bytes.toString("hex");
}

/** The DER TimeStampReq: version 1, SHA-256 imprint of the head, the nonce, certReq true. */
export function buildQuery(headHash: string, nonce: string): Buffer {
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: ID_SHA256, algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: Buffer.from(imprintOf(headHash), "hex") }),
    }),
    nonce: new asn1js.Integer({ valueHex: Buffer.from(nonce, "hex") }),
    certReq: true,
  });
  return Buffer.from(request.toSchema().toBER(false));
}

function fromDer<T>(what: string, der: Uint8Array, read: (schema: asn1js.AsnType) => T): T {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1) throw new TimestampFault(`${what} is not DER (${parsed.result.error || "unreadable"})`);
  if (parsed.offset !== der.byteLength) throw new TimestampFault(`${what} has bytes after its end`);
  try {
    return read(parsed.result);
  } catch (error) {
    throw new TimestampFault(`${what} is not of its ASN.1 type: ${error instanceof Error ? error.message : error}`);
  }
}

const STATUS_WORDS = ["granted", "granted with modifications", "rejected", "waiting", "revocation warning", "revoked"];

/** The token in a TimeStampResp; a refusal or an unreadable reply is a TimestampFault. */
export function tokenOfReply(der: Uint8Array): Buffer {
  const reply = fromDer("the authority's reply", der, (schema) => new pkijs.TimeStampResp({ schema }));
  const status = reply.status.status;
  if (status !== 0 && status !== 1) {
    const said = reply.status.statusStrings?.map((s) => s.valueBlock.value).join("; ") ?? "";
    throw new TimestampFault(
      `the authority did not grant a timestamp (${STATUS_WORDS[status] ?? `status ${status}`}${said ? `: ${said}` : ""})`,
    );
  }
  if (!reply.timeStampToken) throw new TimestampFault("the authority granted a timestamp but sent no token");
  return Buffer.from(reply.timeStampToken.toSchema().toBER(false));
}

/** What a token says, read without judging it. */
export interface TokenFacts {
  imprint: string;
  imprintAlgorithm: string;
  nonce: string | null;
  genTime: string;
  serial: string;
  tsaName: string;
  policy: string;
  signerCertSha256: string;
  hasTimestampingEku: boolean;
}

interface ParsedToken {
  signed: pkijs.SignedData;
  tst: pkijs.TSTInfo;
  signer: pkijs.Certificate;
  facts: TokenFacts;
}

const NAMES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
};

/** A distinguished name as `CN=…, O=…`, control characters replaced, bounded. */
function nameText(name: pkijs.RelativeDistinguishedNames): string {
  const parts = name.typesAndValues.map((tv) => {
    const value = String((tv.value.valueBlock as { value?: unknown }).value ?? "");
    return `${NAMES[tv.type] ?? tv.type}=${value}`;
  });
  return (
    parts
      .reverse()
      .join(", ")
      .replace(/[\u0000-\u001f\u007f]/g, "\ufffd")
      .slice(0, 1000) || "(no name)"
  );
}

/** An INTEGER's magnitude as hex without leading zero bytes. */
function integerHex(value: asn1js.Integer): string {
  const text = hex(value.valueBlock.valueHexView);
  return text.replace(/^(00)+(?=.)/, "") || "0";
}

function parseToken(der: Uint8Array): ParsedToken {
  const info = fromDer("the token", der, (schema) => new pkijs.ContentInfo({ schema }));
  if (info.contentType !== ID_SIGNED_DATA) throw new TimestampFault("the token is not CMS SignedData");
  const signed = (() => {
    try {
      return new pkijs.SignedData({ schema: info.content });
    } catch {
      throw new TimestampFault("the token's SignedData cannot be read");
    }
  })();
  if (signed.encapContentInfo.eContentType !== ID_TST_INFO || !signed.encapContentInfo.eContent) {
    throw new TimestampFault("the token does not hold a TSTInfo");
  }
  const tst = fromDer(
    "the token's TSTInfo",
    signed.encapContentInfo.eContent.getValue() as unknown as Uint8Array,
    (schema) => new pkijs.TSTInfo({ schema }),
  );
  const certificates = (signed.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  const sid = signed.signerInfos[0]?.sid;
  const signer =
    sid instanceof pkijs.IssuerAndSerialNumber
      ? certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber))
      : undefined;
  if (!signer) throw new TimestampFault("the token does not carry the certificate that signed it");
  const eku = signer.extensions?.find((e) => e.extnID === ID_EXT_KEY_USAGE)?.parsedValue as
    pkijs.ExtKeyUsage | undefined;
  const tsaName =
    tst.tsa && tst.tsa.type === 4
      ? nameText(tst.tsa.value as pkijs.RelativeDistinguishedNames)
      : nameText(signer.subject);
  return {
    signed,
    tst,
    signer,
    facts: {
      imprint: hex(tst.messageImprint.hashedMessage.valueBlock.valueHexView),
      imprintAlgorithm: tst.messageImprint.hashAlgorithm.algorithmId,
      nonce: tst.nonce ? integerHex(tst.nonce) : null,
      genTime: tst.genTime.toISOString(),
      serial: integerHex(tst.serialNumber),
      tsaName,
      policy: tst.policy,
      signerCertSha256: derSha256(signer),
      hasTimestampingEku: eku?.keyPurposes.includes(ID_KP_TIMESTAMPING) ?? false,
    },
  };
}

/** A token's facts; a TimestampFault when it cannot be read as one. */
export function readToken(der: Uint8Array): TokenFacts {
  return parseToken(der).facts;
}

/** PEM certificates (one or more in a text) as pkijs certificates; a TimestampFault names a bad one. */
export function certificatesOfPem(pem: string): pkijs.Certificate[] {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) throw new TimestampFault("no PEM certificate (-----BEGIN CERTIFICATE-----) was found");
  return blocks.map((b, i) =>
    fromDer(`certificate ${i + 1}`, Buffer.from(b[1]!.replace(/\s+/g, ""), "base64"), (schema) => {
      return new pkijs.Certificate({ schema });
    }),
  );
}

export interface TokenCheck {
  facts: TokenFacts;
  /** Null when the imprint matches the head; else why not. */
  imprintFault: string | null;
  /** Null when the CMS signature verifies with the token's own certificate; else why not. */
  signatureFault: string | null;
  /** The anchor (SHA-256 of its DER) the chain ended in, or null with `trustFault` saying why. */
  anchorSha256: string | null;
  trustFault: string | null;
}

/**
 * Checks a token against the head it should cover and the examiner's anchors. Never throws for a
 * bad token once it reads as one: every finding is in the result.
 */
export async function checkToken(der: Uint8Array, headHash: string, anchors: pkijs.Certificate[]): Promise<TokenCheck> {
  const { facts } = parseToken(der);
  const expected = imprintOf(headHash);
  const imprintFault =
    facts.imprintAlgorithm !== ID_SHA256
      ? `the token's imprint is not SHA-256 (${facts.imprintAlgorithm})`
      : facts.imprint !== expected
        ? `the token imprints ${facts.imprint.slice(0, 16)}…, not the SHA-256 of head ${headHash.slice(0, 12)}… (${expected.slice(0, 16)}…)`
        : null;
  // The imprint is judged above; the signature and chain are checked over the token's content as signed.
  const plain = withoutTstInfoStep(der);
  const checkDate = new Date(facts.genTime);
  let signatureFault: string | null = null;
  try {
    if (!(await plain.verify({ signer: 0, checkChain: false, checkDate }))) {
      signatureFault = "the token's signature does not verify with the certificate it carries";
    }
  } catch (error) {
    signatureFault = `the token's signature does not verify: ${verifyMessage(error)}`;
  }
  if (!facts.hasTimestampingEku && !signatureFault) {
    signatureFault = "the signing certificate does not hold the timeStamping extended key usage";
  }
  let anchorSha256: string | null = null;
  let trustFault: string | null = null;
  if (signatureFault) trustFault = "the signature does not verify, so the authority's chain was not looked at";
  else if (anchors.length === 0) trustFault = "no trust anchor is configured for time-stamping authorities";
  else {
    try {
      const result = (await plain.verify({
        signer: 0,
        checkChain: true,
        checkDate,
        trustedCerts: anchors,
        extendedMode: true,
      })) as unknown as { signatureVerified?: boolean; certificatePath?: pkijs.Certificate[] };
      const ders = new Set((result.certificatePath ?? []).map(derSha256));
      anchorSha256 = anchors.map(derSha256).find((a) => ders.has(a)) ?? null;
      if (!anchorSha256) trustFault = "the authority's certificate chain does not end in a configured anchor";
    } catch (error) {
      trustFault = `the authority's certificate chain does not end in a configured anchor (${verifyMessage(error)})`;
    }
  }
  return { facts, imprintFault, signatureFault, anchorSha256, trustFault };
}

export const derSha256 = (certificate: pkijs.Certificate) =>
  sha256(new Uint8Array(certificate.toSchema().toBER(false)));

/**
 * A copy of the token's SignedData labelled as plain data, so pkijs checks the signature (over the
 * signed attributes, whose message digest covers the TSTInfo bytes) without its own imprint step,
 * which needs the stamped data and stops at the first mismatch.
 */
function withoutTstInfoStep(der: Uint8Array): pkijs.SignedData {
  // A fresh parse: the signed attributes keep the bytes they were signed as (a re-encoded copy would not).
  const copy = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(der).content });
  copy.encapContentInfo.eContentType = "1.2.840.113549.1.7.1";
  return copy;
}

function verifyMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
  return text.split("\n")[0]!.slice(0, 300);
}
