/**
 * A real RFC 3161 time-stamping authority on 127.0.0.1 for tests: a CA and a TSA certificate
 * (critical extendedKeyUsage timeStamping) made with openssl in a temporary folder, and a small
 * HTTP responder that hands each query to `openssl ts -reply`. On demand it misbehaves the ways
 * a real one can: garbage, HTTP 500, a slow answer, a huge body, or a token for another query.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export type TsaMode =
  | { kind: "grant" }
  | { kind: "garbage" }
  | { kind: "status"; status: number }
  | { kind: "slow"; delayMs: number }
  | { kind: "huge"; bytes: number }
  /** Answers with a token over a different imprint (the reply to another query). */
  | { kind: "other-imprint" };

export interface LocalTsa {
  url: string;
  /** The CA that issued the TSA's certificate, PEM: what an examiner configures as a trust anchor. */
  caPem: string;
  /** Another CA, which issued nothing this TSA uses. */
  otherCaPem: string;
  caFile: string;
  dir: string;
  /** Queries received. */
  requests: number;
  setMode(mode: TsaMode): void;
  close(): Promise<void>;
}

const POLICY = "1.3.6.1.4.1.99999.1.1";

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** A CA (self-signed, P-256) in `dir`: `<name>.key` and `<name>.pem`. */
function makeCa(dir: string, name: string, subject: string): void {
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-subj",
      subject,
      "-days",
      "3650",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
}

export async function startLocalTsa(mode: TsaMode = { kind: "grant" }): Promise<LocalTsa> {
  const dir = await mkdtemp(path.join(tmpdir(), "sightline-tsa-"));
  makeCa(dir, "ca", "/O=Sightline tests/CN=Test Root CA");
  makeCa(dir, "other-ca", "/O=Somebody else/CN=Unrelated Root CA");
  openssl(
    [
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "tsa.key",
      "-out",
      "tsa.csr",
      "-subj",
      "/O=Sightline tests/CN=Local Time-Stamping Authority",
    ],
    dir,
  );
  await writeFile(
    path.join(dir, "tsa.ext"),
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n",
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "tsa.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "tsa.pem",
      "-days",
      "3650",
      "-extfile",
      "tsa.ext",
    ],
    dir,
  );
  await writeFile(path.join(dir, "serial"), "01\n");
  await writeFile(
    path.join(dir, "tsa.cnf"),
    [
      "[ tsa ]",
      "default_tsa = tsa_config",
      "[ tsa_config ]",
      `dir = ${dir}`,
      "serial = $dir/serial",
      "crypto_device = builtin",
      "signer_cert = $dir/tsa.pem",
      "signer_key = $dir/tsa.key",
      "signer_digest = sha256",
      `default_policy = ${POLICY}`,
      "digests = sha256, sha384, sha512",
      "accuracy = secs:1",
      "ordering = yes",
      "tsa_name = yes",
      "ess_cert_id_alg = sha256",
      "",
    ].join("\n"),
  );

  let current = mode;
  let requests = 0;
  let counter = 0;
  /** The openssl reply to `query`, through files in the TSA's folder (openssl ts reads and writes files). */
  const reply = async (query: Buffer): Promise<Buffer> => {
    const n = ++counter;
    await writeFile(path.join(dir, `q${n}.tsq`), query);
    execFileSync("openssl", ["ts", "-reply", "-config", "tsa.cnf", "-queryfile", `q${n}.tsq`, "-out", `r${n}.tsr`], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
    });
    return readFile(path.join(dir, `r${n}.tsr`));
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      void (async () => {
        requests++;
        const query = Buffer.concat(chunks);
        const send = (status: number, body: Buffer) => {
          response.writeHead(status, { "content-type": "application/timestamp-reply" });
          response.end(body);
        };
        const m = current;
        if (m.kind === "status") return send(m.status, Buffer.from("unavailable"));
        if (m.kind === "garbage") return send(200, Buffer.from("this is not a TimeStampResp\u0000\u00ff"));
        if (m.kind === "huge") {
          response.writeHead(200, { "content-type": "application/timestamp-reply" });
          const block = Buffer.alloc(64 * 1024, 0x30);
          let sent = 0;
          const pump = () => {
            while (sent < m.bytes) {
              sent += block.length;
              if (!response.write(block)) return void response.once("drain", pump);
            }
            response.end();
          };
          response.on("error", () => undefined);
          return pump();
        }
        if (m.kind === "slow") await new Promise((r) => setTimeout(r, m.delayMs));
        let asked = query;
        if (m.kind === "other-imprint") {
          // A reply to another query (other data, its own nonce): it answers a different question.
          await writeFile(path.join(dir, "other.bin"), "some other ledger head");
          asked = execFileSync("openssl", ["ts", "-query", "-data", "other.bin", "-sha256", "-cert"], { cwd: dir });
        }
        try {
          send(200, await reply(asked));
        } catch {
          send(500, Buffer.from("openssl ts -reply failed"));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    caPem: await readFile(path.join(dir, "ca.pem"), "utf8"),
    otherCaPem: await readFile(path.join(dir, "other-ca.pem"), "utf8"),
    caFile: path.join(dir, "ca.pem"),
    dir,
    get requests() {
      return requests;
    },
    setMode(next: TsaMode) {
      current = next;
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `openssl ts -verify` of a stored token against the digest it should imprint; true when openssl says OK. */
export function opensslVerifies(tokenFile: string, digestHex: string, caFile: string): { ok: boolean; output: string } {
  const run = spawnSync(
    "openssl",
    ["ts", "-verify", "-token_in", "-in", tokenFile, "-digest", digestHex, "-CAfile", caFile],
    { encoding: "utf8" },
  );
  return { ok: run.status === 0 && /Verification: OK/.test(run.stdout), output: `${run.stdout}${run.stderr}` };
}
