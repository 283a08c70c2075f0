/**
 * The fault of a time-stamping exchange, apart from rfc3161.ts so that the HTTP client and the
 * callers that tell it from other errors do not load pkijs and asn1js before a token is read.
 */

/** Anything wrong with a reply or token, in one line a person understands. */
export class TimestampFault extends Error {}
