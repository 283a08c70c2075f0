/** The trusted-timestamp part of the API (spread into `contract` in contract.ts). */
export const timestampContract = {} as const;
