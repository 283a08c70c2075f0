/** The custody-report part of the API (spread into `contract` in contract.ts). */
export const reportContract = {} as const;
