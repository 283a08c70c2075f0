/**
 * A worker decoding GeoTIFF tiles for geotiff's Pool (see geotiffWorker.ts): the same protocol
 * as geotiff's own worker (dist-module/worker/decoder.js), written here because geotiff marks
 * itself free of side effects and that module only registers a listener.
 */
import { getDecoder } from "geotiff";

interface DecodeJob {
  compression: number;
  decoderParameters: Parameters<typeof getDecoder>[1];
  buffer: ArrayBuffer;
  jobId: number;
}

const scope = globalThis as unknown as {
  addEventListener(type: "message", listener: (e: MessageEvent<DecodeJob>) => void): void;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};

scope.addEventListener("message", (e) => {
  const { compression, decoderParameters, buffer, ...extra } = e.data;
  void (async () => {
    try {
      const decoder = await getDecoder(compression, decoderParameters);
      const decoded = await decoder.decode(buffer);
      scope.postMessage({ decoded, ...extra }, [decoded]);
    } catch (error) {
      scope.postMessage({ error: error instanceof Error ? error.message : String(error), ...extra });
    }
  })();
});
